--- tools/search_index.lua — writes the fact search's word index (k2_search.c)
--- from the FTS5 table's own tokens, so the index holds exactly the words
--- FTS5's porter tokenizer made of the facts. Reads on stdin the rows of
--- fts5vocab(fact_fts, 'instance') as "term<TAB>doc<TAB>col<TAB>offset",
--- ordered by term, doc, col (as the Makefile's sqlite3 query gives them),
--- and prints the SQL that stores the index as the one row of table search_index.
---
--- The blob (little-endian; read and checked by k2_search.c's index_load):
---   "k2si", u32 version 1, u32 terms, u32 postings, u32 names_len, u32 columns;
---   per term (sorted bytewise): u32 name_off, u32 name_len, u32 first, u32 count;
---   per posting (by term, then row, then column): u32 row, u16 column, u16 instances;
---   then the terms' bytes.
--- Run: sqlite3 -separator '	' k2.db "…" | lua5.4 tools/search_index.lua

local COLUMNS = { "claim", "forms", "topic", "population", "extra", "everyday" } -- fact_fts's order
local column_of = {}
for i, name in ipairs(COLUMNS) do column_of[name] = i - 1 end

local function u32(n) return string.pack("<I4", n) end

local terms, postings, names = {}, {}, {}
local names_len, last, last_key = 0, nil, nil
for line in io.lines() do
  local term, doc, col = line:match("^([^\t]+)\t(%d+)\t([^\t]+)\t%d+$")
  assert(term, "search_index: a line that is not term, doc, col, offset: " .. line)
  local c = assert(column_of[col], "search_index: unknown column " .. col)
  if term ~= (last and last.term) then
    assert(not last or last.term < term, "search_index: terms are not in order")
    last = { term = term, off = names_len, first = #postings, count = 0 }
    terms[#terms + 1] = last
    names[#names + 1] = term
    names_len = names_len + #term
    last_key = nil
  end
  local key = doc .. "\0" .. c
  if key == last_key then
    local p = postings[#postings]
    p[3] = p[3] + 1
  else
    postings[#postings + 1] = { tonumber(doc), c, 1 }
    last.count = last.count + 1
    last_key = key
  end
end
assert(#terms > 0, "search_index: no terms (is fact_fts empty?)")

local out = { "k2si", u32(1), u32(#terms), u32(#postings), u32(names_len), u32(#COLUMNS) }
for _, t in ipairs(terms) do out[#out + 1] = u32(t.off) .. u32(#t.term) .. u32(t.first) .. u32(t.count) end
for _, p in ipairs(postings) do
  assert(p[3] < 65536, "search_index: a word occurs too often in one column")
  out[#out + 1] = string.pack("<I4I2I2", p[1], p[2], p[3])
end
out[#out + 1] = table.concat(names)
local blob = table.concat(out)
io.write("CREATE TABLE search_index(data BLOB NOT NULL);\nINSERT INTO search_index VALUES(x'", (blob:gsub(".", function(c)
  return ("%02x"):format(c:byte())
end)), "');\n")
