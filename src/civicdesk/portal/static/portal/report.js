/* The "Report a problem" flow's enhancements. Every step works without this file: it only
   moves focus to the error summary, suggests addresses as you type, adds "Use my location"
   and the map pin. No framework and no build step; messages come translated from the page. */
(function () {
  "use strict";

  function format(text, values) {
    return (text || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  /* Screen readers hear the role=alert summary; keyboard users start from it. */
  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  /* The location step: address suggestions (an ARIA 1.2 combobox with a listbox), the
     device's location and the map share one way of setting the point. */
  function setupLocation(form) {
    var messages = form.dataset;
    var input = form.querySelector("#address");
    var list = form.querySelector("#address-suggestions");
    var lat = form.querySelector("#lat");
    var long = form.querySelector("#long");
    var located = form.querySelector("#located");
    var status = form.querySelector("#location-status");
    var listeners = [];
    var options = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    form.querySelectorAll(".report-js-only:not([data-map])").forEach(function (element) {
      element.hidden = false;
    });

    function announce(text) {
      status.textContent = text || "";
    }

    /* A point chosen by suggestion, location or pin; `label` is its address, if any. */
    function setPoint(point, label, message) {
      if (label) {
        input.value = label;
      } else if (input.value === located.value) {
        input.value = "";  // the address of the previous point no longer applies
      }
      lat.value = point.lat.toFixed(6);
      long.value = point.long.toFixed(6);
      located.value = input.value;
      listeners.forEach(function (listener) {
        listener(point);
      });
      announce(message);
    }

    function lookUp(point, foundMessage, noneMessage) {
      var query = new URLSearchParams({ lat: point.lat.toFixed(6), long: point.long.toFixed(6) });
      return getJSON(messages.reverseUrl + "?" + query)
        .then(function (data) {
          var found = (data.results || [])[0];
          if (found) {
            setPoint(point, found.label, format(foundMessage, { address: found.label }));
          } else {
            setPoint(point, "", noneMessage);
          }
        })
        .catch(function () {
          setPoint(point, "", noneMessage);
        });
    }

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var found = options[index];
      close();
      setPoint({ lat: found.lat, long: found.long }, found.label,
        format(messages.msgChosen, { address: found.label }));
    }

    function show(results) {
      list.textContent = "";
      options = results;
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.id = "address-option-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = result.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the field
        });
        item.addEventListener("click", function () {
          choose(index);
        });
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      if (results.length === 0) {
        announce(messages.msgNoResults);
      } else if (results.length === 1) {
        announce(messages.msgResultsOne);
      } else {
        announce(format(messages.msgResultsMany, { count: results.length }));
      }
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 3) {
        close();
        return;
      }
      timer = window.setTimeout(function () {
        var mine = ++latest;
        getJSON(messages.searchUrl + "?" + new URLSearchParams({ q: query, limit: "8" }))
          .then(function (data) {
            if (mine === latest && input.value.trim() === query) {
              show(data.results || []);
            }
          })
          .catch(close);
      }, 250);
    });

    input.addEventListener("keydown", function (event) {
      if (list.hidden || options.length === 0) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 200);
    });

    var locate = form.querySelector("#locate");
    if (locate && "geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        announce(messages.msgLocating);
        navigator.geolocation.getCurrentPosition(
          function (position) {
            lookUp({ lat: position.coords.latitude, long: position.coords.longitude },
              messages.msgLocated, messages.msgLocatedNoAddress);
          },
          function () {
            announce(messages.msgLocateFailed);
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    } else if (locate) {
      locate.hidden = true;
    }

    setupMap(form, {
      lookUp: lookUp,
      onPoint: function (listener) {
        listeners.push(listener);
      },
      current: function () {
        var point = { lat: parseFloat(lat.value), long: parseFloat(long.value) };
        return isFinite(point.lat) && isFinite(point.long) ? point : null;
      }
    });
  }

  /* Leaflet, when it loaded: tiles from CIVICDESK_MAP_TILE_URL, or district outlines only. */
  function setupMap(form, location) {
    var block = form.querySelector("[data-map]");
    var L = window.L;
    if (!block || !L) {
      return;
    }
    var messages = form.dataset;
    block.hidden = false;
    var map = L.map(block.querySelector("#report-map"), { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: messages.msgZoomIn, zoomOutTitle: messages.msgZoomOut })
      .addTo(map);
    if (block.dataset.tileUrl) {
      L.tileLayer(block.dataset.tileUrl, {
        attribution: block.dataset.attribution || "",
        maxZoom: 19
      }).addTo(map);
    } else if (block.dataset.outlinesUrl) {
      getJSON(block.dataset.outlinesUrl).then(function (data) {
        L.geoJSON(data, {
          interactive: false,
          style: { color: "#1a4480", weight: 1, fillOpacity: 0.04 }
        }).addTo(map);
      }).catch(function () { /* the map still takes a pin without outlines */ });
    }
    var extent = (block.dataset.extent || "").split(",").map(Number);
    if (extent.length === 4 && extent.every(isFinite)) {
      map.fitBounds([[extent[0], extent[1]], [extent[2], extent[3]]]);
    } else {
      map.setView([0, 0], 2);
    }

    // With tiles a point is shown street by street; with outlines only, a street-level zoom
    // would show an empty square, so the neighbourhood stays in view.
    var pointZoom = block.dataset.tileUrl ? 17 : 14;
    var marker = null;
    function show(point) {
      var where = [point.lat, point.long];
      if (marker) {
        marker.setLatLng(where);
        return;
      }
      marker = L.marker(where, { draggable: true, alt: messages.msgPinAlt, title: messages.msgPinAlt })
        .addTo(map);
      marker.on("dragend", function () {
        pin(marker.getLatLng());
      });
    }
    function pin(latlng) {
      var point = { lat: latlng.lat, long: latlng.lng };
      show(point);
      location.lookUp(point, messages.msgPinned, messages.msgPinnedNoAddress);
    }

    map.on("click", function (event) {
      pin(event.latlng);
    });
    block.querySelector("#pin-centre").addEventListener("click", function () {
      pin(map.getCenter());
    });
    location.onPoint(function (point) {
      show(point);
      map.setView([point.lat, point.long], Math.max(map.getZoom(), pointZoom));
    });
    var current = location.current();
    if (current) {
      show(current);
      map.setView([current.lat, current.long], pointZoom);
    }
  }

  function start() {
    focusErrorSummary();
    var form = document.querySelector("[data-report-location]");
    if (form) {
      setupLocation(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
