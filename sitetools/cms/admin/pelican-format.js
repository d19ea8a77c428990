/* The Pelican Markdown header as Decap CMS reads and writes it (docs/writing.md, section 2):
 *
 *   Title: Knee Pain: Where To Start?
 *   Date: 2025-03-01
 *   (one `Key: value` per line, continuation lines indented, then one blank line, then the text)
 *
 * fromFile keeps, in a hidden `_pelican` value, every header line as it was written (key spelling,
 * order, continuation lines, unknown keys, line endings); toFile writes each line the writer did not
 * change back byte for byte, rewrites only changed ones, drops emptied ones, and adds new fields
 * in the editor's order. So editing one field changes one line of the file.
 * Plain functions (no Decap import): the tests run them in the browser on their own too.
 */
(function (root) {
  "use strict";
  var KEY_LINE = /^([A-Za-z0-9_-]+):\s*(.*)$/;
  var LISTS = { authors: true }; // fields the editor holds as lists (a multiple select)

  function parse(text) {
    var eol = text.indexOf("\r\n") >= 0 ? "\r\n" : "\n";
    var lines = text.split(/\r?\n/);
    var entries = [];
    var fence = null;
    var i = 0;
    if (lines.length && /^---/.test(lines[0])) {
      fence = lines[0];
      i = 1;
    }
    for (; i < lines.length; i++) {
      var line = lines[i];
      if (!line.trim() || line.trim() === "---" || line.trim() === "...") break; // the header's end
      var match = KEY_LINE.exec(line);
      if (match) {
        entries.push({ name: match[1], key: match[1].toLowerCase(), raw: [line], value: match[2].trim() });
      } else if (/^[ \t]/.test(line) && entries.length) {
        var last = entries[entries.length - 1];
        last.raw.push(line);
        last.value = (last.value + " " + line.trim()).trim();
      } else {
        break;
      }
    }
    // What separates header and text, kept as written: a closing fence, then the blank line.
    var sep = [];
    if (i < lines.length && (lines[i].trim() === "---" || lines[i].trim() === "...")) sep.push(lines[i++]);
    if (i < lines.length && !lines[i].trim()) sep.push(lines[i++]);
    var bodyLines = lines.slice(i);
    var finalEol = bodyLines.length > 0 && bodyLines[bodyLines.length - 1] === "";
    if (finalEol) bodyLines.pop();
    var data = {};
    entries.forEach(function (entry) {
      if (entry.key in data) return; // a repeated key (tags may repeat): the first is the field's value
      data[entry.key] = valueOf(entry.key, entry.value);
    });
    data.body = bodyLines.join("\n");
    data._pelican = JSON.stringify({ eol: eol, fence: fence, entries: entries, sep: sep, finalEol: finalEol });
    return data;
  }

  function valueOf(key, text) {
    if (LISTS[key]) return text.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    return text;
  }

  function show(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(show).filter(Boolean).join(", ");
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value === "object" && typeof value.toJS === "function") return show(value.toJS());
    // A header value is one line: line breaks typed into a box become spaces.
    return String(value).replace(/\s*[\r\n]+\s*/g, " ").trim();
  }

  function headerName(key) {
    return key.charAt(0).toUpperCase() + key.slice(1);
  }

  function serialise(data, order) {
    var meta = data._pelican ? JSON.parse(data._pelican) : { eol: "\n", fence: null, entries: [], sep: [""], finalEol: true };
    var out = [];
    var done = {};
    meta.entries.forEach(function (entry) {
      if (done[entry.key] || !(entry.key in data)) {
        out.push.apply(out, entry.raw); // a repeated key, or one the editor does not hold: as written
        return;
      }
      done[entry.key] = true;
      var now = show(data[entry.key]);
      if (now === show(valueOf(entry.key, entry.value))) out.push.apply(out, entry.raw);
      else if (now !== "") out.push(entry.name + ": " + now);
    });
    var keys = (order || []).concat(Object.keys(data));
    keys.forEach(function (key) {
      if (done[key] || key === "body" || key === "_pelican" || !(key in data)) return;
      done[key] = true;
      var value = show(data[key]);
      if (value !== "") out.push(headerName(key) + ": " + value);
    });
    var body = data.body === null || data.body === undefined ? "" : String(data.body);
    body = body.replace(/\r\n/g, "\n");
    if (meta.finalEol && body !== "" && body.slice(-1) !== "\n") body += "\n";
    if (!meta.finalEol && body.slice(-1) === "\n" && data._pelican) body = body.replace(/\n+$/, "");
    var head = (meta.fence !== null ? [meta.fence] : []).concat(out, meta.sep);
    return (head.join("\n") + "\n" + body).split("\n").join(meta.eol);
  }

  /* Bibliography and timetable files: the whole file is the one field `body`, written back as is. */
  function parseRaw(text) {
    return { body: text };
  }

  function serialiseRaw(data) {
    var body = data.body === null || data.body === undefined ? "" : String(data.body);
    return body === "" || body.slice(-1) === "\n" ? body : body + "\n";
  }

  root.PelicanFormat = { parse: parse, serialise: serialise, parseRaw: parseRaw, serialiseRaw: serialiseRaw };
})(typeof window !== "undefined" ? window : globalThis);
