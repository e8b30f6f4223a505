// The serious and critical accessibility issues axe-core finds on the page, one line each,
// answered through WebDriver's asynchronous callback. axe-core itself is injected before this
// text (once per page). Shared by the desktop journeys (tests/src/desktop.rs) and the portal's
// Chromium test (crates/server/tests/http/portal_browser.rs), so that both hold one bar.
const done = arguments[arguments.length - 1];
window.axe.run(document, { resultTypes: ['violations'] })
  .then(r => done(r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
      + v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | '))))
  .catch(e => done(['axe failed: ' + e]));
