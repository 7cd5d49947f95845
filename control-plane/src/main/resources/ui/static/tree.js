// The resource tree of an Application's page: a quick filter, the slide-out of one object (fetched
// as an HTML fragment into the page's aside), and the tree's open/closed state kept across the live
// updates that replace it. Every link also works without this script, as a page of its own.
(function () {
  'use strict';

  var aside = document.getElementById('slideout');
  var resources = document.getElementById('resources');
  if (!aside || !resources) { return; }
  var opened = {}; // data-key -> whether the user opened (true) or closed (false) it
  var follow = null;

  function load(href) {
    stopFollow();
    aside.hidden = false;
    aside.setAttribute('aria-busy', 'true');
    return fetch(href, { credentials: 'same-origin', headers: { 'X-Flotilla-Fragment': '1' } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        aside.innerHTML = html;
        aside.dataset.href = href;
      })
      .catch(function () {
        aside.textContent = 'The server could not be reached: try again.';
      })
      .then(function () { aside.removeAttribute('aria-busy'); });
  }

  function close() {
    stopFollow();
    aside.hidden = true;
    aside.innerHTML = '';
  }

  // Follow the logs: read them again every 3 s, for at most 10 minutes, while the box is ticked.
  function stopFollow() {
    if (follow) { window.clearInterval(follow.timer); follow = null; }
  }

  function startFollow(href) {
    stopFollow();
    var until = Date.now() + 10 * 60 * 1000;
    follow = {
      timer: window.setInterval(function () {
        if (Date.now() > until || aside.hidden) { stopFollow(); return; }
        fetch(href, { credentials: 'same-origin', headers: { 'X-Flotilla-Fragment': '1' } })
          .then(function (r) { return r.text(); })
          .then(function (html) {
            var doc = new DOMParser().parseFromString(html, 'text/html');
            var fresh = doc.getElementById('tab-body');
            var body = document.getElementById('tab-body');
            if (follow && fresh && body) {
              var logs = fresh.querySelector('#logs, #no-logs, #panel-error');
              var old = body.querySelector('#logs, #no-logs, #panel-error');
              if (logs && old) { old.replaceWith(logs); }
              var pre = document.getElementById('logs');
              if (pre) { pre.scrollTop = pre.scrollHeight; }
            }
          })
          .catch(function () { /* the next tick retries */ });
      }, 3000)
    };
  }

  document.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a');
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) { return; }
    if (link.classList.contains('node') || (aside.contains(link) && !link.classList.contains('close'))) {
      e.preventDefault();
      load(link.getAttribute('href'));
    } else if (link.classList.contains('close') && aside.contains(link)) {
      e.preventDefault();
      close();
    }
  });

  document.addEventListener('submit', function (e) {
    if (!aside.contains(e.target)) { return; }
    e.preventDefault();
    var params = new URLSearchParams(new FormData(e.target));
    load(e.target.getAttribute('action') + '?' + params.toString());
  });

  document.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'log-follow') {
      if (e.target.checked) { startFollow(e.target.dataset.followHref); } else { stopFollow(); }
    }
  });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && !aside.hidden) { close(); }
  });

  // <details> fires 'toggle' without bubbling: listen while capturing.
  document.addEventListener('toggle', function (e) {
    var key = e.target.dataset && e.target.dataset.key;
    if (key && resources.contains(e.target)) { opened[key] = e.target.open; }
  }, true);

  function filter() {
    var box = document.getElementById('tree-filter');
    var words = box ? box.value.trim().toLowerCase() : '';
    var items = resources.querySelectorAll('li[data-search]');
    var groups = resources.querySelectorAll('li.tree-group');
    if (!words) {
      items.forEach(function (li) { li.hidden = false; });
      groups.forEach(function (li) { li.hidden = false; });
      return;
    }
    items.forEach(function (li) { li.hidden = true; });
    groups.forEach(function (li) { li.hidden = true; });
    items.forEach(function (li) {
      if (li.dataset.search.indexOf(words) < 0) { return; }
      // Show the match and its owners, opened so that it can be seen.
      for (var up = li; up && up !== resources; up = up.parentElement) {
        if (up.tagName === 'LI') { up.hidden = false; }
        if (up.tagName === 'DETAILS') { up.open = true; }
      }
    });
  }

  var timer = null;
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'tree-filter') {
      window.clearTimeout(timer);
      timer = window.setTimeout(filter, 120);
    }
  });

  // A live update replaced the tree: put back what the user opened or closed, and the filter.
  var words = '';
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'tree-filter') { words = e.target.value; }
  });
  new MutationObserver(function () {
    resources.querySelectorAll('details[data-key]').forEach(function (d) {
      if (Object.prototype.hasOwnProperty.call(opened, d.dataset.key)) { d.open = opened[d.dataset.key]; }
    });
    var box = document.getElementById('tree-filter');
    if (box && words && box.value !== words) { box.value = words; filter(); }
  }).observe(resources, { childList: true });
})();
