// Citations plugin (optional): Escape dismisses an open citation preview (WCAG 1.4.13);
// it can show again once the pointer or focus leaves the citation and comes back.
// Near the bottom of the screen the preview opens above its citation instead of below it.
(() => {
  const open = ".citation-ref:hover, .citation-ref:focus-within";
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const ref of document.querySelectorAll(open)) ref.classList.add("citation-dismissed");
  });
  const closest = (event) => event.target instanceof Element && event.target.closest(".citation-ref");
  const reset = (event) => {
    const ref = closest(event);
    if (ref) ref.classList.remove("citation-dismissed");
  };
  document.addEventListener("mouseleave", reset, true);
  document.addEventListener("focusout", reset, true);
  const place = (event) => {
    const ref = closest(event);
    const preview = ref && ref.querySelector(".citation-preview");
    if (!preview) return;
    preview.style.transform = "";
    const box = preview.getBoundingClientRect();
    const link = ref.firstElementChild.getBoundingClientRect();
    if (box.height && box.bottom > innerHeight && link.top - box.height - 8 >= 0) {
      preview.style.transform = `translateY(${link.top - box.top - box.height - 4}px)`;
    }
  };
  document.addEventListener("mouseover", place);
  document.addEventListener("focusin", place);
})();
