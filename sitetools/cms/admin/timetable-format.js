/* The class timetable (content/timetable.yaml, docs/writing.md section 13) as a form's data, and back.
 *
 * fromFile reads the file's documented layout (top-level `key: value` lines, `classes:` a list of
 * `- key: value` blocks, scalars plain or quoted or `>-` blocks, lists of dates as `- date` lines or
 * `[a, b]`) and keeps, in a hidden `_timetable` value, where every class, key and date is in the text.
 * toFile starts from the original text and rewrites only the lines of values the writer changed: a
 * changed value its own line(s), a new date one line (in date order), a removed one its line; new
 * keys after their neighbour in the schema's order, a new class after the last one. Comments, blank
 * lines, key order, quoting ("18:30") and every untouched line come back byte for byte. A file this
 * reader does not understand is written back unchanged (the form then shows no classes, and the
 * preview says to use "Class timetable (as text)").
 * `schema`: {order: [class keys], kinds: {key: kind}, file_order: [...], file_kinds: {...}} from
 * plugins/timetable/model.py (site.json).
 * Plain functions (no Decap import), loaded after pelican-format.js; the tests run them in the browser.
 */
(function (root) {
  "use strict";
  var KEY = /^([A-Za-z0-9_-]+):(?=\s|$)(.*)$/;

  function indentOf(line) {
    return /^ */.exec(line)[0].length;
  }
  function isGap(line) {
    return /^\s*(#.*)?$/.test(line);
  }
  function fail(n, what) {
    throw new Error("line " + (n + 1) + ": " + what);
  }

  /* One scalar written after `key:` or `- ` (rest: the text after them): {value, style, comment}. */
  function scalar(rest, n) {
    var s = rest.replace(/^\s+/, "");
    var m;
    if (s.charAt(0) === '"') {
      m = /^"((?:[^"\\]|\\.)*)"(\s*(#.*)?)$/.exec(s);
      if (!m) fail(n, "a quoted value that does not end on its line");
      var value;
      try {
        value = JSON.parse('"' + m[1] + '"');
      } catch (e) {
        value = m[1].replace(/\\(.)/g, "$1");
      }
      return { value: value, style: "double", comment: m[2] };
    }
    if (s.charAt(0) === "'") {
      m = /^'((?:[^']|'')*)'(\s*(#.*)?)$/.exec(s);
      if (!m) fail(n, "a quoted value that does not end on its line");
      return { value: m[1].replace(/''/g, "'"), style: "single", comment: m[2] };
    }
    if (/^[&*!{]/.test(s)) fail(n, "a YAML construct the form does not edit");
    m = /^(.*?)((?:\s+#.*)?)$/.exec(s);
    return { value: m[1].trim(), style: "plain", comment: m[2] };
  }

  /* The value of the key on line n (indent k, rest after ':'): {end, kind, value, ...}. */
  function valueAt(lines, n, k, rest, stop) {
    var s = rest.replace(/^\s+/, "");
    var node = { start: n, end: n + 1 };
    var j;
    if (/^[|>][+-]?[0-9]?\s*(#.*)?$/.test(s)) {
      var body = [];
      for (j = n + 1; j < stop && (!lines[j].trim() || indentOf(lines[j]) > k); j++) body.push(lines[j]);
      while (body.length && !body[body.length - 1].trim()) body.pop();
      node.end = n + 1 + body.length;
      var cut = Math.min.apply(null, body.filter(function (l) { return l.trim(); }).map(indentOf).concat([1e9]));
      var texts = body.map(function (l) { return l.slice(Math.min(cut, l.length)); });
      node.kind = "block";
      node.value = s.charAt(0) === "|" ? texts.join("\n") : texts.join("\n").replace(/([^\n])\n(?=[^\n])/g, "$1 ").replace(/\n\n/g, "\n");
      return node;
    }
    if (s.charAt(0) === "[") {
      var m = /^\[([^\]]*)\](\s*(#.*)?)$/.exec(s);
      if (!m) fail(n, "a [list] that does not end on its line");
      node.kind = "flow";
      node.comment = m[2];
      node.value = m[1].split(",").map(function (x) { return scalar(x, n).value; }).filter(Boolean);
      return node;
    }
    if (!s || s.charAt(0) === "#") {
      // Nothing on the line: a list of `- item` lines below (deeper, or at the key's own indent).
      var items = [];
      var last = n;
      for (j = n + 1; j < stop; j++) {
        if (isGap(lines[j])) continue;
        var d = indentOf(lines[j]);
        var item = /^( *)- (.*)$/.exec(lines[j]) || /^( *)-$/.exec(lines[j]);
        if (item && (d > k || d === k)) {
          var sc = scalar(item[2] || "", j);
          items.push({ line: j, value: sc.value });
          last = j;
        } else if (d > k) {
          fail(j, "a value the form does not edit");
        } else break;
      }
      node.end = last + 1;
      node.kind = items.length ? "seq" : "empty";
      node.items = items;
      node.value = items.map(function (i) { return i.value; });
      if (!items.length) node.value = "";
      return node;
    }
    var sc2 = scalar(s, n);
    node.kind = "scalar";
    node.style = sc2.style;
    node.comment = sc2.comment;
    node.value = sc2.value;
    for (j = n + 1; j < stop && lines[j].trim() && indentOf(lines[j]) > k && !KEY.test(lines[j].trim()); j++) {
      if (sc2.style !== "plain") fail(j, "a quoted value over several lines");
      node.value += " " + lines[j].trim(); // a plain value continued on the next lines
      node.end = j + 1;
      node.kind = "multi";
    }
    return node;
  }

  /* The keys of a mapping whose keys sit at indent k, from line `from` to `stop`. */
  function mapping(lines, from, stop, k, first) {
    var keys = [];
    for (var n = from; n < stop; n++) {
      var line = n === from && first !== undefined ? first : lines[n];
      if (n !== from || first === undefined) {
        if (isGap(line)) continue;
        if (indentOf(line) !== k) fail(n, "a line indented differently from the keys above it");
        line = line.slice(k);
      }
      var m = KEY.exec(line);
      if (!m) fail(n, "not a 'key: value' line");
      var node = valueAt(lines, n, k, m[2], stop);
      node.key = m[1];
      keys.push(node);
      n = node.end - 1;
    }
    return keys;
  }

  function parseTimetable(text, schema) {
    var eol = text.indexOf("\r\n") >= 0 ? "\r\n" : "\n";
    var lines = text.split(/\r?\n/);
    var finalEol = lines.length > 1 && lines[lines.length - 1] === "";
    if (finalEol) lines.pop();
    var meta = { eol: eol, finalEol: finalEol, lines: lines };
    var data = { classes: [] };
    try {
      var n = 0;
      var top = [];
      while (n < lines.length) {
        if (isGap(lines[n])) { n++; continue; }
        if (indentOf(lines[n]) !== 0) fail(n, "an indented line outside 'classes:'");
        var m = KEY.exec(lines[n]);
        if (!m) fail(n, "not a 'key: value' line");
        var node;
        if (m[1] === "classes" && !m[2].replace(/\s*(#.*)?$/, "")) {
          node = { key: "classes", start: n, kind: "classes", items: [] };
          var j = n + 1;
          while (j < lines.length && (isGap(lines[j]) || indentOf(lines[j]) > 0 || /^- /.test(lines[j]))) j++;
          node.end = j;
          var starts = [];
          var itemIndent = null;
          for (var i = n + 1; i < j; i++) {
            if (isGap(lines[i])) continue;
            var d = /^( *)- +/.exec(lines[i]);
            if (itemIndent === null) {
              if (!d) fail(i, "a class that does not start with '- '");
              itemIndent = d[1].length;
            }
            if (d && d[1].length === itemIndent) starts.push(i);
          }
          node.itemIndent = itemIndent === null ? 2 : itemIndent;
          starts.forEach(function (s, idx) {
            var next = idx + 1 < starts.length ? starts[idx + 1] : j;
            var dash = /^( *- +)(.*)$/.exec(lines[s]);
            var keys = mapping(lines, s, next, dash[1].length, dash[2]);
            var bodyEnd = keys.length ? keys[keys.length - 1].end : s + 1;
            node.items.push({ start: s, bodyEnd: bodyEnd, next: next, dash: dash[1], keys: keys });
          });
          node.tail = node.items.length ? node.items[node.items.length - 1].bodyEnd : n + 1;
          n = j;
        } else {
          node = valueAt(lines, n, 0, m[2], lines.length);
          node.key = m[1];
          n = node.end;
        }
        top.push(node);
      }
      meta.top = top;
      top.forEach(function (node) {
        if (node.kind === "classes") {
          data.classes = node.items.map(function (item, idx) {
            var cls = { _src: idx };
            item.keys.forEach(function (key) { cls[key.key] = toForm(key.value, schema.kinds[key.key]); });
            return cls;
          });
        } else {
          data[node.key] = toForm(node.value, schema.file_kinds[node.key]);
        }
      });
    } catch (err) {
      meta = { eol: eol, raw: text, error: String(err.message || err) };
      data = { classes: [] };
    }
    data._timetable = JSON.stringify(meta);
    return data;
  }

  function toForm(value, kind) {
    if (kind === "yes-no") return /^(true|yes|on)$/i.test(String(value).trim());
    if (kind === "dates") return Array.isArray(value) ? value : value ? [value] : [];
    return value;
  }

  /* A value as text, to tell changed from unchanged. */
  function norm(value, kind) {
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (kind === "yes-no") return /^(true|yes|on)$/i.test(String(value).trim()) || value === true ? "true" : "false";
    if (Array.isArray(value)) return value.map(function (v) { return norm(v); }).filter(Boolean).join("\n");
    if (value === null || value === undefined) return "";
    return String(value).trim();
  }

  var RESERVED = /^(~|null|true|false|yes|no|on|off|y|n)$/i;
  function quote(text, style) {
    if (style === "single") return "'" + text.replace(/'/g, "''") + "'";
    return JSON.stringify(text);
  }
  function emitScalar(text, kind, style) {
    text = String(text);
    if (kind === "time") return quote(text, style === "single" ? "single" : "double");
    if (kind === "yes-no") return text;
    if (style === "double" || style === "single") return quote(text, style);
    var plain = text === text.trim() && text !== "" && !/^[-?:,\[\]{}#&*!|>'"%@`]/.test(text) &&
      !/: |:$| #|[\x00-\x1f\x7f\u2028\u2029]/.test(text) && !RESERVED.test(text);
    return plain ? text : quote(text, "double");
  }

  function wrap(text, width) {
    var out = [];
    var line = "";
    text.split(/\s+/).filter(Boolean).forEach(function (word) {
      if (line && line.length + 1 + word.length > width) { out.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) out.push(line);
    return out;
  }

  /* The lines of `key: value` at indent `pad` (a string), for a new or changed value. */
  function emitKey(key, value, kind, pad, old) {
    if (value && typeof value.toJS === "function") value = value.toJS();
    if (kind === "dates" || Array.isArray(value)) {
      var list = (Array.isArray(value) ? value : [value]).map(String).filter(function (v) { return v.trim(); });
      if (old && old.kind === "flow") return [pad + key + ": [" + list.join(", ") + "]" + (old.comment || "")];
      return [pad + key + ":"].concat(list.map(function (d) { return pad + "  - " + d.trim(); }));
    }
    if (typeof value === "boolean") value = value ? "true" : "false";
    var text = String(value).replace(/\r\n/g, "\n").replace(/\s+$/, "").replace(/^\s+/, "");
    if (kind === "long-text" && (text.indexOf("\n") >= 0 || (old && old.kind === "block") || pad.length + key.length + text.length > 100)) {
      var inner = pad + "  ";
      if (text.indexOf("\n") >= 0) {
        return [pad + key + ": |-"].concat(text.split("\n").map(function (l) { return l.trim() ? inner + l : ""; }));
      }
      return [pad + key + ": >-"].concat(wrap(text, 100 - inner.length).map(function (l) { return inner + l; }));
    }
    var style = old && old.kind === "scalar" ? old.style : "plain";
    var comment = old && old.kind === "scalar" ? old.comment || "" : "";
    return [pad + key + ": " + emitScalar(text, kind, style) + comment];
  }

  /* A block sequence of dates with some added and some removed: kept lines stay as written. */
  function patchSeq(lines, node, wanted, pad) {
    var want = {};
    wanted.forEach(function (d) { want[d] = (want[d] || 0) + 1; });
    var kept = {};
    var out = [];
    var itemAt = {};
    node.items.forEach(function (it) { itemAt[it.line] = it; });
    var itemPad = node.items.length ? /^( *)/.exec(lines[node.items[0].line])[1] : pad + "  ";
    var fresh = wanted.filter(function (d) {
      kept[d] = (kept[d] || 0) + 1;
      return kept[d] > node.items.filter(function (it) { return it.value === d; }).length;
    }).sort();
    var used = {};
    for (var n = node.start; n < node.end; n++) {
      var it = itemAt[n];
      if (!it) { out.push(lines[n]); continue; }
      while (fresh.length && fresh[0] < it.value) out.push(itemPad + "- " + fresh.shift());
      used[it.value] = (used[it.value] || 0) + 1;
      if (used[it.value] <= (want[it.value] || 0)) out.push(lines[n]);
    }
    fresh.forEach(function (d) { out.push(itemPad + "- " + d); });
    return out;
  }

  /* The lines of one mapping (a class, or the file's top level) with the data's changes applied. */
  function patchMap(lines, keys, data, order, kinds, pad, from, to, firstPrefix) {
    var out = [];
    var pos = from;
    var present = {};
    keys.forEach(function (k) { present[k.key] = true; });
    var adds = {}; // key after which new keys go -> their lines
    order.concat(Object.keys(data)).forEach(function (key, idx, all) {
      if (present[key] || key.charAt(0) === "_" || key === "classes" || !(key in data) || all.indexOf(key) !== idx) return;
      if (norm(data[key], kinds[key]) === "" || (kinds[key] === "yes-no" && data[key] !== true && !(key in present))) return;
      var anchor = null;
      order.slice(0, Math.max(order.indexOf(key), 0)).forEach(function (k) { if (present[k]) anchor = k; });
      anchor = anchor || "";
      (adds[anchor] = adds[anchor] || []).push.apply(adds[anchor], emitKey(key, data[key], kinds[key], pad));
    });
    var needPrefix = firstPrefix;
    function push(line) {
      if (needPrefix !== undefined) {
        line = needPrefix + line.slice(pad.length);
        needPrefix = undefined;
      }
      out.push(line);
    }
    if (adds[""] && !keys.length) adds[""].forEach(push);
    keys.forEach(function (node, idx) {
      for (; pos < node.start; pos++) out.push(lines[pos]);
      var kind = kinds[node.key];
      var first = idx === 0 && firstPrefix !== undefined;
      var own = first ? [pad + lines[node.start].slice(firstPrefix.length)].concat(lines.slice(node.start + 1, node.end)) : lines.slice(node.start, node.end);
      if (!(node.key in data) || norm(data[node.key], kind) === norm(node.value, kind)) {
        if (first) { needPrefix = firstPrefix; }
        own.forEach(push);
      } else if (norm(data[node.key], kind) === "" && kind !== "yes-no") {
        // emptied: the key goes (a required one: the build then says which line needs it)
      } else if (node.kind === "seq") {
        if (first) needPrefix = firstPrefix;
        var head = own.slice(0, 1);
        head.forEach(push);
        var value = data[node.key] && data[node.key].toJS ? data[node.key].toJS() : data[node.key];
        patchSeq(lines, node, (Array.isArray(value) ? value : [value]).map(String), pad).slice(1).forEach(push);
      } else {
        if (first) needPrefix = firstPrefix;
        emitKey(node.key, data[node.key], kind, pad, node).forEach(push);
      }
      if (idx === 0 && adds[""]) adds[""].forEach(push);
      (adds[node.key] || []).forEach(push);
      pos = node.end;
    });
    for (; pos < to; pos++) out.push(lines[pos]);
    return out;
  }

  function newClass(cls, schema, itemPad) {
    var pad = itemPad + "  ";
    var out = [];
    schema.order.concat(Object.keys(cls)).forEach(function (key, idx, all) {
      if (key.charAt(0) === "_" || all.indexOf(key) !== idx || !(key in cls) || norm(cls[key], schema.kinds[key]) === "") return;
      out.push.apply(out, emitKey(key, cls[key], schema.kinds[key], pad));
    });
    if (out.length) out[0] = itemPad + "- " + out[0].slice(pad.length);
    return out;
  }

  function serialiseTimetable(data, schema) {
    var meta = data._timetable ? JSON.parse(data._timetable) : { eol: "\n", finalEol: true, lines: [], top: [] };
    if (meta.raw !== undefined) return meta.raw; // a layout the form does not edit: unchanged
    var lines = meta.lines;
    var classes = data.classes && data.classes.toJS ? data.classes.toJS() : data.classes || [];
    var top = meta.top;
    var hasClasses = top.some(function (t) { return t.kind === "classes"; });
    if (!hasClasses) top = top.concat([{ key: "classes", kind: "classes", start: lines.length, end: lines.length, items: [], tail: lines.length, itemIndent: 2, added: true }]);
    var topData = {};
    Object.keys(data).forEach(function (k) { if (k !== "classes") topData[k] = data[k]; });
    var scalars = top.filter(function (t) { return t.kind !== "classes"; });
    var out = [];
    var pos = 0;
    var order = schema.file_order;
    top.forEach(function (node) {
      if (node.kind !== "classes") return;
      // Everything before `classes:`: the top-level keys, patched.
      var before = scalars.filter(function (t) { return t.start < node.start; });
      out = patchMap(lines, before, topData, order.filter(function (k) { return k !== "classes"; }), schema.file_kinds, "", 0, node.start);
      if (node.added) out.push("classes:");
      else out.push(lines[node.start]);
      var pad = new Array(node.itemIndent + 1).join(" ");
      var gapBetween = node.items.length > 1 && !lines[node.items[0].next - 1].trim();
      for (var n = node.start + 1; n < (node.items.length ? node.items[0].start : node.tail); n++) out.push(lines[n]);
      var emitted = [];
      classes.forEach(function (cls) {
        var src = typeof cls._src === "number" ? node.items[cls._src] : null;
        var block;
        if (src) {
          block = patchMap(lines, src.keys, cls, schema.order, schema.kinds, src.dash.replace(/- +$/, function (m) { return new Array(m.length + 1).join(" "); }), src.start, src.bodyEnd, src.dash);
          var gap = src === node.items[node.items.length - 1] ? [] : lines.slice(src.bodyEnd, src.next);
          emitted.push({ block: block, gap: gap });
        } else {
          emitted.push({ block: newClass(cls, schema, pad), gap: [] });
        }
      });
      emitted.forEach(function (e, idx) {
        out.push.apply(out, e.block);
        if (idx < emitted.length - 1) {
          if (e.gap.length) out.push.apply(out, e.gap);
          else if (gapBetween) out.push(""); // a class moved or added: the blank line between classes
        } else if (e.gap.some(function (l) { return l.trim(); })) out.push.apply(out, e.gap);
      });
      pos = node.tail;
      for (; pos < node.end; pos++) out.push(lines[pos]);
      var after = scalars.filter(function (t) { return t.start >= node.end; });
      var rest = patchMap(lines, after, {}, [], schema.file_kinds, "", node.end, lines.length);
      after.forEach(function (t) { if (t.key in topData) { /* kept as written */ } });
      out.push.apply(out, rest);
    });
    var text = out.join("\n");
    if (meta.finalEol || !data._timetable) text += "\n";
    return text.split("\n").join(meta.eol);
  }

  root.TimetableFormat = { parse: parseTimetable, serialise: serialiseTimetable };
})(typeof window !== "undefined" ? window : globalThis);
