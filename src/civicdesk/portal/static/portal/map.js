/* The map of the public request list: the same page's requests as markers over district
   outlines (and map tiles, when the site sets a tile server). An enhancement only: the list
   is the page, and without JavaScript (or if anything here fails) the map stays hidden. */
(function () {
  "use strict";

  var container = document.getElementById("requests-map");
  if (!container || !window.L || !window.fetch) {
    return;
  }
  var canvas = container.querySelector(".portal-map__canvas");
  var data = container.dataset;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }
    );
  }

  function popup(properties) {
    // Built from DOM nodes, never from HTML strings, so no text from the data is markup.
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.className = "usa-link text-bold";
    link.href = properties.url;
    link.textContent = properties.reference;
    box.appendChild(link);
    var service = document.createElement("div");
    service.textContent = properties.service_name;
    box.appendChild(service);
    var status = document.createElement("span");
    status.className = "usa-tag portal-status portal-status--" + properties.status;
    status.textContent = properties.status_label;
    box.appendChild(status);
    return box;
  }

  Promise.all([getJSON(data.pointsUrl), getJSON(data.districtsUrl).catch(function () { return null; })])
    .then(function (results) {
      var points = results[0];
      var districts = results[1];
      container.hidden = false;
      var map = L.map(canvas, { scrollWheelZoom: false });
      L.Icon.Default.imagePath = data.iconPath;
      if (data.tileUrl) {
        L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 19 }).addTo(map);
      } else {
        container.classList.add("portal-map--no-tiles");
      }
      var bounds = L.latLngBounds([]);
      if (districts && districts.features.length) {
        var outlines = L.geoJSON(districts, {
          interactive: false,
          style: { color: "#565c65", weight: 1, fillColor: "#ffffff", fillOpacity: data.tileUrl ? 0 : 1 },
        }).addTo(map);
        bounds.extend(outlines.getBounds());
      }
      var markers = L.geoJSON(points, {
        pointToLayer: function (feature, latlng) {
          // Keyboard users reach each marker with Tab; its title names the request.
          return L.marker(latlng, {
            keyboard: true,
            title: feature.properties.reference + " – " + feature.properties.service_name,
            alt: feature.properties.reference,
          });
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(popup(feature.properties));
        },
      }).addTo(map);
      if (points.features.length) {
        bounds = markers.getBounds();
      }
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
      } else {
        container.hidden = true;
      }
    })
    .catch(function () {
      container.hidden = true;
    });
})();
