-- The conformance suite's oracle: what `pandoc --citeproc --csl STYLE --bibliography REFS
-- -M lang=en-GB -M link-citations=true -t html` gives for each case, for many cases in one process.
--
-- Run as `pandoc -f conformance_oracle.lua -t conformance_oracle.lua` with JSON on stdin:
--   { "abbreviations": [the data file's], "cases": [ { "body": markdown text,
--     "bibliography": [absolute paths], "csl": absolute path }, ... ] }
-- Each case goes through the same functions the command line uses: the Markdown reader,
-- pandoc.utils.citeproc (the --citeproc filter) with the metadata that -M, --csl and --bibliography
-- set, and the HTML writer. Output: a JSON list, per case { html = ... } or { error = pandoc's message }.

function Reader(input)
  return pandoc.Pandoc({ pandoc.CodeBlock(tostring(input)) })
end

function Writer(doc, opts)
  local input = pandoc.json.decode(doc.blocks[1].text, false)
  local abbreviations = {} -- the command line reads them from its data file; pandoc.read needs them
  for _, word in ipairs(input.abbreviations) do abbreviations[word] = true end
  local out = {}
  for _, case in ipairs(input.cases) do
    local ok, result = pcall(function()
      local d = pandoc.read(case.body, 'markdown', { abbreviations = abbreviations })
      local bibs = pandoc.List({})
      for _, path in ipairs(case.bibliography) do bibs:insert(pandoc.MetaString(path)) end
      d.meta.bibliography = pandoc.MetaList(bibs)
      d.meta.csl = pandoc.MetaString(case.csl)
      d.meta.lang = pandoc.MetaString('en-GB')
      d.meta['link-citations'] = true
      return pandoc.write(pandoc.utils.citeproc(d), 'html', { wrap_text = 'none' })
    end)
    out[#out + 1] = ok and { html = result } or { error = tostring(result) }
  end
  return pandoc.json.encode(out)
end
