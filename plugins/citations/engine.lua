-- The citations plugin's batch formatter: one pandoc process formats every article of a build.
--
-- Run as `pandoc -f engine.lua -t engine.lua` with the payload (JSON, built by engine.py) on stdin:
--   styles  = { "path/to/style.csl", ... }
--   files   = { { fmt = "biblatex" | "bibtex" | "csljson" | "cslyaml", path = ... }, ... }
--             -- bibliography files (copies of what the plugin checked), read by citeproc itself
--   affixes = { "see", ", p. 343", ... }  -- prefixes/suffixes, parsed once as Markdown (as pandoc's
--                                            reader would inside a citation)
--   abbreviations = { "chap.", ... }      -- the command line's list (a no-break space after them)
--   articles = { { style = i, lang = "en-GB", files = { file index, ... },  -- in order
--                  clusters = { { {id=, mode=, p=affix index or 0, s=affix index or 0}, ... }, ... } } }
-- Output: JSON ({ files = { per file: { {id or "", message}, ... } }, articles = { per article: ok, or
-- the error } }), then "\n\29\n", then the HTML (one pandoc.write
-- per WRITE_EVERY articles) in which each article's part follows a "\30": a <p> per cluster, then
-- pandoc's <div id="refs"> with one <div id="ref-KEY" class="csl-entry"> per entry.

local SEP = pandoc.RawBlock('html', '\30')
local WRITE_EVERY = 200

function Reader(input)
  return pandoc.Pandoc({ pandoc.CodeBlock(tostring(input)) })
end

local function plain_affix(text)
  local inlines = pandoc.Inlines({})
  local first = true
  for word in text:gmatch('%S+') do
    if not first or text:match('^%s') then inlines:insert(pandoc.Space()) end
    inlines:insert(pandoc.Str(word))
    first = false
  end
  return inlines
end

local function parse_affixes(affixes, abbreviations)
  local parsed = {}
  if #affixes == 0 then return parsed end
  local chunks = {}
  for i, text in ipairs(affixes) do chunks[i] = '(' .. text end
  local abbrevs = {} -- the command line's list: a no-break space after "chap.", "n.", "bk."
  for _, word in ipairs(abbreviations or {}) do abbrevs[word] = true end
  local blocks = pandoc.read(table.concat(chunks, '\n\n'), 'markdown', { abbreviations = abbrevs }).blocks
  local ok = #blocks == #affixes
  for i, block in ipairs(blocks) do
    if not ok then break end
    local inlines = block.content
    local first = (block.t == 'Para' or block.t == 'Plain') and inlines[1]
    if first and first.t == 'Str' and first.text:sub(1, 1) == '(' then
      local rest = first.text:sub(2)
      if rest == '' then inlines:remove(1) else inlines[1] = pandoc.Str(rest) end
      parsed[i] = inlines
    else
      ok = false
    end
  end
  if not ok then -- something parsed as a block (a list marker, say): fall back to plain words
    for i, text in ipairs(affixes) do parsed[i] = plain_affix(text) end
  end
  return parsed
end

-- A bibliography file as pandoc's citeproc will read it (it reads the files itself, as
-- `--bibliography FILE` does), and the entries it cannot read: { {id, message}, ... }. A CSL-JSON file
-- pandoc refuses as a whole is checked entry by entry and the readable ones written next to it, so
-- one bad entry does not take the others with it. (.bib files come checked: see bibliography.py.)
local function check_file(file)
  if file.fmt ~= 'csljson' then return file.path, {} end
  local fh = assert(io.open(file.path, 'rb'))
  local text = fh:read('a')
  fh:close()
  local ok, err = pcall(pandoc.read, text, 'csljson')
  if ok then return file.path, {} end
  local decoded, items = pcall(pandoc.json.decode, text, false)
  if decoded and type(items) == 'table' and items.references then items = items.references end
  if not decoded or type(items) ~= 'table' or #items == 0 then
    return nil, { { '', tostring(err) } }
  end
  local good, problems = {}, {}
  for _, item in ipairs(items) do
    local one = pandoc.json.encode(item)
    local readable, why = pcall(pandoc.read, '[' .. one .. ']', 'csljson')
    if readable then
      good[#good + 1] = one
    else
      problems[#problems + 1] = { type(item) == 'table' and tostring(item.id or '') or '', tostring(why) }
    end
  end
  local path = file.path:gsub('%.json$', '') .. '.readable.json'
  local tmp = path .. '.' .. tostring(math.random(1, 1e9)) .. '.tmp' -- two processes may write it
  local out = assert(io.open(tmp, 'wb'))
  out:write('[' .. table.concat(good, ',\n') .. ']')
  out:close()
  assert(os.rename(tmp, path))
  return path, problems
end

-- The other use: { convert = { {fmt =, text =}, ... } } → a JSON list, per file { json = CSL-JSON }
-- or { error = pandoc's message } (the plugin's own view of a .bib file's entries: DOI, PubMed ...).
local function convert(files)
  local out = {}
  for i, file in ipairs(files) do
    local ok, result = pcall(function()
      return pandoc.write(pandoc.read(file.text, file.fmt), 'csljson')
    end)
    out[i] = ok and { json = result } or { error = tostring(result) }
  end
  return pandoc.json.encode(out)
end

function Writer(doc, opts)
  local payload = pandoc.json.decode(doc.blocks[1].text, false)
  if payload.convert then return convert(payload.convert) end

  local files, file_problems = {}, {}
  for i, file in ipairs(payload.files) do
    files[i], file_problems[i] = check_file(file)
  end
  local affixes = parse_affixes(payload.affixes, payload.abbreviations)
  local function affix(i)
    if i and i > 0 then return affixes[i]:clone() end
    return pandoc.Inlines({})
  end

  local out_blocks, html = pandoc.Blocks({}), {}
  local function flush() -- a few writes per batch: cheap, and memory stays flat
    html[#html + 1] = pandoc.write(pandoc.Pandoc(out_blocks), 'html', { wrap_text = 'none' })
    out_blocks = pandoc.Blocks({})
  end
  local summary = {}
  for _, art in ipairs(payload.articles) do
    local ok, result = pcall(function()
      local bibliography = {}
      for _, f in ipairs(art.files) do
        if files[f] then bibliography[#bibliography + 1] = files[f] end
      end
      local blocks = {}
      for j, cluster in ipairs(art.clusters) do
        local citations = {}
        for _, c in ipairs(cluster) do
          citations[#citations + 1] = pandoc.Citation(c.id, c.mode, affix(c.p), affix(c.s), j, 0)
        end
        blocks[j] = pandoc.Para({ pandoc.Cite({ pandoc.Str('[@]') }, citations) })
      end
      local meta = { bibliography = bibliography, csl = payload.styles[art.style], lang = art.lang }
      meta['link-citations'] = true
      return pandoc.utils.citeproc(pandoc.Pandoc(blocks, meta)).blocks
    end)
    if ok then
      -- No walking into the result (each access costs marshalling): the cluster paragraphs and the
      -- #refs div are written as they are, and engine.py takes them apart.
      out_blocks:insert(SEP)
      out_blocks:extend(result)
      summary[#summary + 1] = { ok = true }
      if #summary % WRITE_EVERY == 0 then flush() end
    else
      summary[#summary + 1] = { error = tostring(result) }
    end
  end
  flush()
  local head = { files = file_problems, articles = summary }
  return pandoc.json.encode(head) .. '\n\29\n' .. table.concat(html, '\n')
end
