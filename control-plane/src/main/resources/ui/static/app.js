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
      .then(function (r) {
        if (r.status === 401 || (r.redirected && new URL(r.url).pathname === '/login')) {
          sessionEnded();
          return null;
        }
        return r.ok ? r.text() : null;
      })
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

  // The session ended (expired, logged out in another tab, token revoked): say so instead of
  // going stale; the login page brings the user back here.
  var ended = false;
  var source = null;
  function sessionEnded() {
    if (ended) { return; }
    ended = true;
    if (source) { source.close(); }
    var bar = document.createElement('div');
    bar.className = 'session-ended';
    bar.id = 'session-ended';
    bar.setAttribute('role', 'alert');
    var link = document.createElement('a');
    link.href = '/login?next=' + encodeURIComponent(window.location.pathname + window.location.search);
    link.textContent = 'log in again';
    bar.appendChild(document.createTextNode('Your session has ended \u2014 '));
    bar.appendChild(link);
    document.body.insertBefore(bar, document.body.firstChild);
    document.body.dataset.session = 'ended';
  }

  // EventSource hides the status of a refused reconnect: ask once more to tell a dead session
  // (401) from a server that is away (then try again later).
  function probe() {
    var abort = window.AbortController ? new AbortController() : null;
    fetch('/ui/events', { credentials: 'same-origin', signal: abort ? abort.signal : undefined })
      .then(function (r) {
        if (abort) { abort.abort(); }
        if (r.status === 401) { sessionEnded(); } else { window.setTimeout(connect, 5000); }
      })
      .catch(function () { window.setTimeout(connect, 5000); });
  }

  function connect() {
    if (ended) { return; }
    source = new EventSource('/ui/events');
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
    source.addEventListener('error', function () {
      document.body.dataset.stream = 'error';
      // CONNECTING: the browser retries by itself; CLOSED: the server refused the reconnect.
      if (source.readyState === EventSource.CLOSED) { probe(); }
    });
  }
  connect();
})();
