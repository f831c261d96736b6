"""The assistant in the portal: a chat page that works without JavaScript, and the panel the
widget on every page loads with htmx. Both post to the same view; the conversation's id is
kept in the resident's session."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from civicdesk.assistant.selectors import conversation_get, conversation_messages
from civicdesk.assistant.services import assistant_message
from civicdesk.core.ratelimit import client_over_minute_limit

SESSION_KEY = "assistant_conversation"


@require_http_methods(["GET", "HEAD", "POST"])
def chat(request: HttpRequest) -> HttpResponse:
    """The whole conversation on its own page; with htmx, just the updated panel."""
    partial = request.headers.get("HX-Request") == "true"
    limited = False
    if request.method == "POST":
        if request.POST.get("action") == "restart":
            request.session.pop(SESSION_KEY, None)
        elif _over_limit(request):
            limited = True
        else:
            turn = assistant_message(
                conversation_id=request.session.get(SESSION_KEY, ""),
                text=request.POST.get("choice") or request.POST.get("text", ""),
                language=get_language() or "en",
            )
            request.session[SESSION_KEY] = turn.conversation.public_id
        if not partial and not limited:
            return HttpResponseRedirect(reverse("assistant:chat") + "#assistant-latest")
    conversation = conversation_get(request.session.get(SESSION_KEY, ""))
    context = {
        "messages": list(conversation_messages(conversation)),
        "limited": limited,
        "nav": "assistant",
    }
    template = "assistant/includes/panel.html" if partial else "assistant/chat.html"
    return render(request, template, context, status=429 if limited else 200)


def _over_limit(request: HttpRequest) -> bool:
    allowed = int(getattr(settings, "CIVICDESK_ASSISTANT_LIMIT_PER_MINUTE", 30))
    return client_over_minute_limit(request, scope="portal:assistant:v1", allowed=allowed)
