from tests.contacts.classifier_support import active_classifier

__all__ = ["active_classifier"]
