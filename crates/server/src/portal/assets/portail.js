// Keeps the deadline countdown ticking. The page already shows the remaining time computed by
// the server; this only updates it, correcting the device's clock by the server's time at
// page load (the server's time is the one that counts). No other behaviour depends on it.
(function () {
  "use strict";
  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }
  function text(left) {
    if (left <= 0) {
      return "Date limite dépassée : les offres ne peuvent plus être remises ni remplacées.";
    }
    var s = Math.floor(left / 1000);
    var days = Math.floor(s / 86400), hours = Math.floor((s % 86400) / 3600);
    var minutes = Math.floor((s % 3600) / 60), seconds = s % 60;
    // Same words as the server: no « et 0 heure ».
    function both(a, n, one, many) { return "Il reste " + a + (n > 0 ? " et " + plural(n, one, many) : "") + "."; }
    if (days > 0) { return both(plural(days, "jour", "jours"), hours, "heure", "heures"); }
    if (hours > 0) { return both(plural(hours, "heure", "heures"), minutes, "minute", "minutes"); }
    if (minutes > 0) { return both(plural(minutes, "minute", "minutes"), seconds, "seconde", "secondes"); }
    return "Il reste " + plural(seconds, "seconde", "secondes") + ".";
  }
  function start() {
    var nodes = document.querySelectorAll("[data-deadline][data-now]");
    if (!nodes.length) { return; }
    var loaded = Date.now();
    var items = [];
    for (var i = 0; i < nodes.length; i++) {
      var deadline = Date.parse(nodes[i].getAttribute("data-deadline"));
      var serverNow = Date.parse(nodes[i].getAttribute("data-now"));
      if (!isNaN(deadline) && !isNaN(serverNow)) {
        items.push({ node: nodes[i], deadline: deadline, serverNow: serverNow });
      }
    }
    function tick() {
      var elapsed = Date.now() - loaded;
      for (var j = 0; j < items.length; j++) {
        var it = items[j];
        var t = text(it.deadline - (it.serverNow + elapsed));
        if (it.node.textContent !== t) { it.node.textContent = t; }
      }
    }
    window.setInterval(tick, 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
