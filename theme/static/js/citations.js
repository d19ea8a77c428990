// Citations plugin (optional): Escape dismisses an open citation preview (WCAG 1.4.13);
// it can show again once the pointer or focus leaves the citation and comes back.
(() => {
  const open = ".citation-ref:hover, .citation-ref:focus-within";
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const ref of document.querySelectorAll(open)) ref.classList.add("citation-dismissed");
  });
  const reset = (event) => {
    const ref = event.target instanceof Element && event.target.closest(".citation-ref");
    if (ref) ref.classList.remove("citation-dismissed");
  };
  document.addEventListener("mouseleave", reset, true);
  document.addEventListener("focusout", reset, true);
})();
