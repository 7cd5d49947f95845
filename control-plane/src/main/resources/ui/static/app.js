// Flotilla's UI script: live updates over Server-Sent Events and small conveniences. No framework,
// no inline script (the Content-Security-Policy forbids it); every page works without it.
(function () {
  'use strict';

  // Select-all on the Applications list.
  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'select-all') {
      document.querySelectorAll('#app-list input[name=app]').forEach(function (box) {
        box.checked = e.target.checked;
      });
    }
  });

  if (document.body.dataset.live !== 'on' || !window.EventSource) {
    return;
  }

  // Regions this page refreshes in place; a server-rendered copy of the same URL replaces them.
  var regions = ['summary', 'app-list', 'app-head', 'status', 'resources', 'history'].filter(function (id) {
    return document.getElementById(id);
  });
  var head = document.getElementById('app-head');
  var only = head ? head.dataset.app : null;
  var pending = false;
  var running = false;

  function checkedNames() {
    var names = {};
    document.querySelectorAll('#app-list input[name=app]:checked').forEach(function (box) {
      names[box.value] = true;
    });
    return names;
  }

  function refresh() {
    if (running) { pending = true; return; }
    running = true;
    pending = false;
    var keep = checkedNames();
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Flotilla-Refresh': '1' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        regions.forEach(function (id) {
          var fresh = doc.getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) { current.innerHTML = fresh.innerHTML; }
        });
        document.querySelectorAll('#app-list input[name=app]').forEach(function (box) {
          box.checked = !!keep[box.value];
        });
        document.body.dataset.refreshed = String(Date.now());
      })
      .catch(function () { /* the next event retries */ })
      .then(function () {
        running = false;
        if (pending) { window.setTimeout(refresh, 250); }
      });
  }

  var source = new EventSource('/ui/events');
  source.addEventListener('changed', function (e) {
    if (only) {
      var names = (e.data || '').split('\n');
      if (names.indexOf(only) < 0 && names.indexOf('*') < 0) { return; }
    }
    refresh();
  });
  // A change between the page's render and the stream's (re)opening sends no event: read once more.
  source.addEventListener('open', function () {
    document.body.dataset.stream = 'open';
    refresh();
  });
})();
