-- layers_spec.lua: data flows one way. Nothing in lua/k2/ below the public
-- module (init.lua) requires "k2", the printer (show.lua) and the shapes
-- never touch the store, and `require "k2"` loads neither the advice nor the
-- model nor the option descriptions. Read from the source files and from
-- package.loaded, under Lua 5.4 and LuaJIT. Run from the top of the checkout.

local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local BELOW_INIT = { "args", "show", "shapes", "plot", "pk", "advice/init", "advice/rules", "advice/answer",
  "advice/dose", "advice/timing", "advice/check" }

-- The code of a Lua file without its comments (a comment may name "k2").
local function code_of(path)
  return (read(path):gsub("%-%-%[(=*)%[.-%]%1%]", ""):gsub("%-%-[^\n]*", ""))
end

describe("the layers of lua/k2", function()
  for _, name in ipairs(BELOW_INIT) do
    it(name .. ".lua requires nothing above it", function()
      local code = code_of("lua/k2/" .. name .. ".lua")
      for _, call in ipairs({ 'require%s*%(?%s*"k2"%s*%)?', "require%s*%(?%s*'k2'%s*%)?" }) do
        assert.is_nil(code:find(call), name .. " requires the public module")
      end
    end)
  end

  it("the printer and the shapes never reach the store", function()
    for _, name in ipairs({ "show", "shapes", "plot" }) do
      local code = code_of("lua/k2/" .. name .. ".lua")
      for _, word in ipairs({ "store", "db%(", ":conflict%(", ":fact%(", ":rules%(", "notice%(%)" }) do
        assert.is_nil(code:find(word), name .. ".lua: " .. word)
      end
    end
  end)

  it("require \"k2\" loads neither advice, pk, args nor the printer", function()
    local saved = {}
    for name, module in pairs(package.loaded) do
      if name:match("^k2") and name ~= "k2.core" then saved[name], package.loaded[name] = module, nil end
    end
    local ok, err = pcall(require, "k2")
    local loaded = {}
    for _, name in ipairs({ "k2.advice", "k2.advice.rules", "k2.pk", "k2.args", "k2.show", "k2.plot" }) do
      loaded[name] = package.loaded[name] ~= nil
    end
    -- the other specs keep the modules they were loaded with
    for name in pairs(package.loaded) do
      if name:match("^k2") and name ~= "k2.core" then package.loaded[name] = nil end
    end
    for name, module in pairs(saved) do package.loaded[name] = module end
    require("k2.core").set_shapes(require("k2.shapes"))
    assert(ok, err)
    for name, was in pairs(loaded) do assert.is_false(was, name .. " loaded at require") end
  end)
end)
