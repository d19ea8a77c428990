// Search page: start Pagefind's UI (loaded before this file, both deferred) and hide the
// "needs JavaScript" note; `?q=word` opens with that word's results. A file, not inline
// script, so the Content-Security-Policy needs no 'unsafe-inline'.
window.addEventListener("DOMContentLoaded", () => {
  document.getElementById("search-needs-js").hidden = true;
  const ui = new PagefindUI({ element: "#search", showImages: false, showSubResults: false });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
