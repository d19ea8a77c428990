/* The clinic's Decap CMS set-up: the Pelican header format, the previews, the build's findings.
 * Loaded by index.html after decap-cms.js (window.CMS_MANUAL_INIT = true), and `site.json` (the
 * people, booking targets and field order, from the settings) before Decap starts. */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var F = window.PelicanFormat;
  var T = window.TimetableFormat;
  var CHECK_DELAY_MS = 1200;

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* A readable stand-in for the page while the build has not answered (or refused the entry):
   * paragraphs, headings, lists, care cards, Book Now markers and citations, never raw HTML. */
  function placeholder(body, site) {
    var out = [];
    var para = [];
    var list = null;
    function inline(text) {
      return esc(text)
        .replace(/\[([^\]\[]*@[^\]\[]*)\]/g, '<span class="cms-cite" title="citation">($1)</span>')
        .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
        .replace(/\*([^*]+)\*/g, "<em>$1</em>");
    }
    function flush() {
      if (para.length) out.push("<p>" + inline(para.join(" ")) + "</p>");
      if (list) out.push("<" + list.tag + ">" + list.items.map(function (i) { return "<li>" + inline(i) + "</li>"; }).join("") + "</" + list.tag + ">");
      para = [];
      list = null;
    }
    var lines = String(body || "").split("\n");
    for (var n = 0; n < lines.length; n++) {
      var line = lines[n];
      var card = /^!!! ?([\w-]+)(?: +"(.*?)")? *$/.exec(line);
      var book = /^\s*\[\[\s*book\s*(?::\s*([\w-]+)\s*)?\]\]\s*$/i.exec(line);
      var m;
      if (card) {
        flush();
        var inner = [];
        while (n + 1 < lines.length && (/^( {4}|\t)/.test(lines[n + 1]) || !lines[n + 1].trim())) inner.push(lines[++n].replace(/^( {4}|\t)/, ""));
        out.push('<div class="care-card care-card--' + esc(card[1].toLowerCase()) + '"><p class="care-card__heading"><strong>' + esc(card[2] || card[1]) + "</strong></p>" + '<div class="care-card__content">' + placeholder(inner.join("\n"), site) + "</div></div>");
      } else if (book) {
        flush();
        var target = (book[1] || site.booking.default).toLowerCase();
        var label = site.booking.targets[target] || "unknown booking target '" + target + "'";
        out.push('<div class="book-now cms-book"><p><strong>Book Now:</strong> ' + esc(label) + "</p></div>");
      } else if ((m = /^(#{2,6})\s+(.*)$/.exec(line))) {
        flush();
        out.push("<h" + m[1].length + ">" + inline(m[2]) + "</h" + m[1].length + ">");
      } else if ((m = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line))) {
        var tag = /\d/.test(m[1]) ? "ol" : "ul";
        if (para.length || (list && list.tag !== tag)) flush();
        list = list || { tag: tag, items: [] };
        list.items.push(m[2]);
      } else if (!line.trim()) {
        flush();
      } else {
        if (list) flush();
        para.push(line.trim());
      }
    }
    flush();
    return out.join("\n");
  }

  function person(site, key) {
    var p = site.people[key];
    return p ? p.name + (p.credentials ? ", " + p.credentials : "") : key ? "'" + key + "' (not in PEOPLE)" : "";
  }

  function entryPath(props, site) {
    var path = props.entry.get("path");
    if (!path) {
      var folder = props.collection && props.collection.get("folder");
      var extension = (props.collection && props.collection.get("extension")) || "md";
      path = (folder || "articles") + "/cms-new-entry." + extension;
    }
    return (site.entry_prefix || "") + path;
  }

  /* The text of the entry as the editor would save it, for the check. */
  function articleText(site) {
    return function (data) { return F.serialise(data, site.order); };
  }

  function makePreview(site, kind, toText) {
    toText = toText || articleText(site);
    return window.createClass({
      getInitialState: function () {
        return { result: null, checking: false, sent: null };
      },
      componentDidMount: function () {
        this.schedule();
      },
      componentDidUpdate: function () {
        this.schedule();
      },
      componentWillUnmount: function () {
        clearTimeout(this.timer);
        this.gone = true;
      },
      text: function () {
        return toText(this.props.entry.get("data").toJS());
      },
      schedule: function () {
        var text = this.text();
        if (text === this.pending) return;
        this.pending = text;
        clearTimeout(this.timer);
        var self = this;
        this.timer = setTimeout(function () { self.check(text); }, CHECK_DELAY_MS);
      },
      check: function (text) {
        var self = this;
        self.setState({ checking: true });
        fetch("/admin/api/check", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ path: entryPath(this.props, site), text: text }),
        })
          .then(function (r) {
            // A built site's editor has no build to ask (the check runs in `invoke cms` only).
            return r.ok ? r.json() : { ok: null, html: "", diagnostics: [], unavailable: true };
          })
          .then(function (result) {
            if (!self.gone && self.pending === text) self.setState({ result: result, checking: false, sent: text });
          })
          .catch(function (err) {
            if (!self.gone) self.setState({ checking: false, result: { ok: false, html: "", diagnostics: [{ severity: "error", text: "The check could not run: " + err }] } });
          });
      },
      render: function () {
        var data = this.props.entry.get("data");
        var result = this.state.result;
        var current = result && this.state.sent === this.pending;
        var findings = result ? result.diagnostics : [];
        var status = this.state.checking || !current ? "Checking with the site's build…" : result.unavailable ? "A stand-in preview: the site's build checks the " + kind + " when it is published (and in the local editor, invoke cms)." : result.ok ? "The site's build accepts this " + kind + "." : "The site's build refuses this " + kind + ": fix the errors below.";
        var children = [
          h("section", { className: "cms-check", key: "check", "aria-live": "polite" },
            h("p", { className: "cms-check__status", "data-ok": result ? String(result.ok) : "" }, status),
            findings.length
              ? h("ul", { className: "cms-check__list" }, findings.map(function (f, i) {
                  return h("li", { key: i, className: "cms-check__" + f.severity }, h("code", null, f.text));
                }))
              : null),
        ];
        var unread = kind === "timetable" && data.get("_timetable") && JSON.parse(data.get("_timetable")).error;
        if (unread) {
          children.unshift(h("p", { key: "unread", className: "cms-check__status", role: "alert" },
            "The form cannot read this file's layout (" + unread + "), so it shows no classes and saves nothing. Edit it in “Class timetable (as text)”."));
        }
        if (result && result.html) {
          children.push(h("div", { key: "page", className: "cms-built", dangerouslySetInnerHTML: { __html: result.html } }));
        } else if (kind === "timetable" || kind === "bibliography") {
          children.push(h("main", { key: "page", className: "wrap cms-placeholder" }, h("pre", null, this.text())));
        } else {
          var byline = [];
          if (data.get("author")) byline.push("Written by " + person(site, data.get("author")));
          if (data.get("reviewed_by")) byline.push("Reviewed by " + person(site, data.get("reviewed_by")) + (data.get("reviewed") ? " on " + data.get("reviewed") : ""));
          children.push(h("main", { key: "page", className: "wrap cms-placeholder" },
            h("h1", null, data.get("title") || "(no title yet)"),
            byline.length ? h("p", { className: "byline" }, byline.join(" · ")) : null,
            h("div", { dangerouslySetInnerHTML: { __html: placeholder(data.get("body"), site) } })));
        }
        return h("div", { className: "cms-preview" }, children);
      },
    });
  }

  /* Why a file is not a bibliography of this collection's kind (null: it looks like one); the
   * check (sitetools/cms/check.py, not_a_bibliography) says the same for what is pasted. */
  var EXPORTS = "export the collection from Zotero as Better BibLaTeX (.bib), CSL JSON (.json) or CSL YAML (.yaml)";
  function bibliographyProblem(site, name, text, extension) {
    var ext = (/\.([A-Za-z]+)$/.exec(name) || ["", ""])[1].toLowerCase();
    ext = { bibtex: "bib", yml: "yaml" }[ext] || ext;
    if (!site.bibliography_kinds[ext]) return name + " is not a bibliography file (." + (ext || "no extension") + "): " + EXPORTS + ".";
    if (ext !== extension) return name + " is a " + site.bibliography_kinds[ext] + " file: add it under “Bibliography: " + site.bibliography_kinds[ext] + "”.";
    if (text.indexOf("\u0000") >= 0) return name + " is not a bibliography but a binary file (a PDF or a Word document?): " + EXPORTS + ".";
    if (ext === "bib" && !/^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,{}()]+\s*,/m.test(text)) return name + " is not a bibliography: it has no entries such as @article{key, … " + EXPORTS + ".";
    if (ext === "json") {
      var data;
      try { data = JSON.parse(text); } catch (e) { return name + " is not a CSL JSON bibliography (" + e.message + "): " + EXPORTS + "."; }
      if (!Array.isArray(data) || !data.length || !data.every(function (x) { return x && x.id; })) return name + " is not a bibliography: a CSL JSON file is a list of entries, each with an id.";
    }
    if (ext === "yaml" && !/^\s*-?\s*id:/m.test(text)) return name + " is not a bibliography: a CSL YAML file lists entries, each with an id.";
    return null;
  }

  function citationKeys(text) {
    var keys = [];
    var re = /^\s*@\s*[A-Za-z]+\s*[{(]\s*([^\s,{}()]+)\s*,|"id"\s*:\s*"([^"]+)"|^\s*-?\s*id:\s*['"]?([^'"\s]+)/gm;
    var m;
    while ((m = re.exec(text)) && keys.length < 50) {
      var key = m[1] || m[2] || m[3];
      if (key && !/^(comment|string|preamble)$/i.test(key)) keys.push(key);
    }
    return keys;
  }

  /* The bibliography file's text: a Zotero export uploaded (read in the browser, checked) or pasted. */
  function bibliographyWidget(site) {
    return window.createClass({
      getInitialState: function () {
        return { message: "", bad: false };
      },
      read: function (event) {
        var file = event.target.files && event.target.files[0];
        if (!file) return;
        var self = this;
        var extension = this.props.field.get("extension");
        if (file.size > 2 * 1024 * 1024) {
          self.setState({ bad: true, message: file.name + " is over 2 MiB, the limit of a content file: export only the references the site cites." });
          return;
        }
        var reader = new FileReader();
        reader.onload = function () {
          var text = String(reader.result).replace(/^\ufeff/, "");
          var problem = bibliographyProblem(site, file.name, text, extension);
          if (problem) {
            self.setState({ bad: true, message: problem });
            return;
          }
          var keys = citationKeys(text);
          self.props.onChange(text);
          self.setState({ bad: false, message: "Read " + file.name + ": " + keys.length + (keys.length === 1 ? " reference; cite it as " : " references; cite them as ") + keys.slice(0, 8).map(function (k) { return "[@" + k + "]"; }).join(", ") + (keys.length > 8 ? " …" : "") + ". Give the file a name above, then Publish." });
        };
        reader.onerror = function () { self.setState({ bad: true, message: "The file could not be read: " + reader.error }); };
        reader.readAsText(file);
      },
      render: function () {
        var id = this.props.forID;
        var extension = this.props.field.get("extension");
        return h("div", { className: this.props.classNameWrapper },
          h("p", null,
            h("label", { htmlFor: id + "-upload" }, "Upload a Zotero export (." + extension + "): "),
            h("input", { id: id + "-upload", type: "file", accept: extension === "bib" ? ".bib,.bibtex" : extension === "yaml" ? ".yaml,.yml" : ".json", onChange: this.read })),
          this.state.message ? h("p", { role: this.state.bad ? "alert" : "status", style: this.state.bad ? { color: "#a00", fontWeight: "bold" } : null }, this.state.message) : null,
          h("textarea", {
            id: id,
            "aria-label": "The file's text (or paste it here)",
            value: this.props.value || "",
            rows: 16,
            style: { width: "100%", fontFamily: "monospace" },
            onChange: function (e) { this.props.onChange(e.target.value); }.bind(this),
            onFocus: this.props.setActiveStyle,
            onBlur: this.props.setInactiveStyle,
          }));
      },
    });
  }

  function start(site) {
    CMS.registerCustomFormat("pelican", "md", {
      fromFile: function (text) { return F.parse(text); },
      toFile: function (data) { return F.serialise(data, site.order); },
    });
    CMS.registerCustomFormat("pelican-raw", "bib", {
      fromFile: function (text) { return F.parseRaw(text); },
      toFile: function (data) { return F.serialiseRaw(data); },
    });
    CMS.registerCustomFormat("timetable-yaml", "yaml", {
      fromFile: function (text) { return T.parse(text, site.timetable); },
      toFile: function (data) { return T.serialise(data, site.timetable); },
    });
    CMS.registerWidget("bibliography", bibliographyWidget(site), window.createClass({
      render: function () { return h("pre", null, this.props.value || ""); },
    }));
    CMS.registerPreviewStyle("/admin/site.css");
    CMS.registerPreviewStyle("/admin/preview.css");
    CMS.registerPreviewTemplate("articles", makePreview(site, "article"));
    CMS.registerPreviewTemplate("pages", makePreview(site, "page"));
    var raw = function (data) { return F.serialiseRaw(data); };
    CMS.registerPreviewTemplate("timetable", makePreview(site, "timetable", function (data) { return T.serialise(data, site.timetable); }));
    CMS.registerPreviewTemplate("timetable-text", makePreview(site, "timetable", raw));
    ["references", "references-json", "references-yaml"].forEach(function (name) {
      CMS.registerPreviewTemplate(name, makePreview(site, "bibliography", raw));
    });
    CMS.init();
  }

  fetch("/admin/site.json", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(start)
    .catch(function (err) {
      document.body.insertAdjacentHTML("afterbegin", "<p role=alert>The editor could not start: " + esc(err) + "</p>");
    });
})();
