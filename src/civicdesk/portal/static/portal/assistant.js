// The assistant widget: the "Ask a question" link opens the conversation in a panel on the
// same page (loaded and posted with htmx) instead of going to /assistant/. Without JavaScript,
// or before htmx has loaded, the link still leads to the chat page.
(function () {
  "use strict";
  var widget = document.querySelector("[data-assistant-widget]");
  if (!widget) return;
  var open = widget.querySelector("[data-assistant-open]");
  var panel = widget.querySelector("#assistant-widget-panel");
  var body = widget.querySelector("[data-assistant-body]");
  var close = widget.querySelector("[data-assistant-close]");
  var loaded = false;

  function focusInput() {
    var input = body.querySelector("textarea");
    if (input) input.focus();
  }

  function show() {
    panel.hidden = false;
    open.setAttribute("aria-expanded", "true");
    if (loaded) {
      focusInput();
      return;
    }
    loaded = true;
    window.htmx.ajax("GET", open.getAttribute("href"), { target: body, swap: "innerHTML" }).then(focusInput);
  }

  function hide() {
    panel.hidden = true;
    open.setAttribute("aria-expanded", "false");
    open.focus();
  }

  open.addEventListener("click", function (event) {
    if (!window.htmx) return;
    event.preventDefault();
    if (panel.hidden) show();
    else hide();
  });
  close.addEventListener("click", hide);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  // After each reply, bring the newest message into view and keep the cursor in the box.
  body.addEventListener("htmx:afterSwap", function () {
    var latest = body.querySelector("#assistant-latest");
    if (latest) latest.scrollIntoView({ block: "nearest" });
    focusInput();
  });
})();
