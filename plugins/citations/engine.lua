-- The citations plugin's batch formatter: one pandoc process formats every article of a build.
--
-- Run as `pandoc -f engine.lua -t engine.lua` with the payload (JSON, built by engine.py) on stdin:
--   styles  = { "path/to/style.csl", ... }
--   layers  = { csljson_text, ... }       -- CSL items; within one layer every id is unique
--   affixes = { "see", ", p. 343", ... }  -- prefixes/suffixes, parsed once as Markdown (as pandoc's
--                                            reader would inside a citation)
--   articles = { { style = i, lang = "en-GB", refs = { {layer, id}, ... },
--                  clusters = { { {id=, mode=, p=affix index or 0, s=affix index or 0}, ... }, ... } } }
-- Output: JSON (per article: ok, or the error), then "\n\29\n", then the HTML (one pandoc.write
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

local function parse_affixes(affixes)
  local parsed = {}
  if #affixes == 0 then return parsed end
  local chunks = {}
  for i, text in ipairs(affixes) do chunks[i] = '(' .. text end
  local blocks = pandoc.read(table.concat(chunks, '\n\n'), 'markdown').blocks
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

function Writer(doc, opts)
  local payload = pandoc.json.decode(doc.blocks[1].text, false)

  local layers = {}
  for i, text in ipairs(payload.layers) do
    local index = {}
    for _, ref in ipairs(pandoc.read(text, 'csljson').meta.references or {}) do
      index[pandoc.utils.stringify(ref.id)] = ref
    end
    layers[i] = index
  end
  local affixes = parse_affixes(payload.affixes)
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
      local refs = {}
      for _, r in ipairs(art.refs) do refs[#refs + 1] = layers[r[1]][r[2]] end
      local blocks = {}
      for j, cluster in ipairs(art.clusters) do
        local citations = {}
        for _, c in ipairs(cluster) do
          citations[#citations + 1] = pandoc.Citation(c.id, c.mode, affix(c.p), affix(c.s), j, 0)
        end
        blocks[j] = pandoc.Para({ pandoc.Cite({ pandoc.Str('[@]') }, citations) })
      end
      local meta = { references = refs, csl = payload.styles[art.style], lang = art.lang }
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
  return pandoc.json.encode(summary) .. '\n\29\n' .. table.concat(html, '\n')
end
