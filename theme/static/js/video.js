/* Click-to-load videos (components/video): the facade is a plain link to the video's page; with
   this script it becomes a button, and only when pressed does the page load the player's frame,
   from youtube-nocookie.com or player.vimeo.com (the only frame sources the CSP allows). */
(function () {
  "use strict";
  var ALLOWED = ["https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/"];
  document.querySelectorAll("[data-video-embed]").forEach(function (figure) {
    var link = figure.querySelector("a.video__facade");
    var embed = figure.getAttribute("data-video-embed") || "";
    if (!link || figure.hasAttribute("data-video-ready")) return;
    if (!ALLOWED.some(function (start) { return embed.indexOf(start) === 0; })) return;
    figure.setAttribute("data-video-ready", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = embed;
      frame.title = figure.getAttribute("data-video-title") || "Video";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "video__frame";
      button.replaceWith(frame);
      frame.focus();
    });
  });
})();
