from django.http import HttpRequest, HttpResponse, JsonResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("CivicDesk")


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
