--- k2.nvim.config: the plugin's options — their defaults, the one validator
--- (every border form Neovim accepts, whole-number sizes, the units), where
--- the configuration in use came from, and the last setup() that was refused,
--- for :checkhealth k2. Validation never raises: it answers nil, message.
--- No figure here is a health figure; the sizes are columns of the screen.
--- Border forms: |nvim_open_win()| (a name, or a list of 1, 2, 4 or 8 items,
--- each a character or {char, highlight group}).

local M = {}

M.DEFAULTS = { border = "rounded", width = 80, units = "µg", default_form = "MK-7", journal = "" }
M.WIDTH_MIN, M.WIDTH_MAX = 30, 300 -- columns a float may be configured to
local NAMES = { "none", "single", "double", "rounded", "solid", "shadow" }
local BORDER_LENGTHS = { [1] = true, [2] = true, [4] = true, [8] = true }
local KNOWN = "border, width, units, default_form, journal"

local state = {
  config = vim.deepcopy(M.DEFAULTS),
  origin = "defaults", -- "defaults", "setup()", "vim.g.k2" or "setup() and vim.g.k2"
  rejected = nil, -- { message = , when = } of the last refused setup() or vim.g.k2
}

-- A table whose keys are exactly 1..n (no holes, no other keys); its n.
local function sequence_length(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if t[i] == nil then return nil end end
  return n
end

-- One border item: a character of at most one cell, or {char, group}.
local function border_item(item, i)
  local char = item
  if type(item) == "table" then
    if sequence_length(item) == nil or #item < 1 or #item > 2 then
      return ("item %d must be a character or {character, highlight group}"):format(i)
    end
    local group
    char, group = item[1], item[2]
    if group ~= nil and (type(group) ~= "string" or group == "") then
      return ("item %d: the highlight group must be a name"):format(i)
    end
  end
  if type(char) ~= "string" then
    return ("item %d must be a character or {character, highlight group}, got %s"):format(i, type(char))
  end
  if vim.fn.strdisplaywidth(char) > 1 or vim.fn.strchars(char) > 1 then
    return ("item %d ('%s') must be one character of one cell"):format(i, char)
  end
  return nil
end

-- Whether the running Neovim opens a float with this border (its own rules on
-- which items may be empty); the message it gives otherwise.
local probe_buf
local function neovim_accepts(border)
  if not (probe_buf and vim.api.nvim_buf_is_valid(probe_buf)) then probe_buf = vim.api.nvim_create_buf(false, true) end
  local cfg = { relative = "editor", row = 0, col = 0, width = 1, height = 1, border = border, focusable = false,
    style = "minimal" }
  if vim.fn.has("nvim-0.6") == 1 then cfg.noautocmd = true end
  local ok, win = pcall(vim.api.nvim_open_win, probe_buf, false, cfg)
  if not ok then return tostring(win):gsub("^[^:]*:%d+: ", "") end
  vim.api.nvim_win_close(win, true)
  return nil
end

--- border(value) → nil when Neovim accepts it, else the message.
function M.check_border(value)
  local names = table.concat(NAMES, ", ")
  local what = ("option 'border' must be %s, or a list of 1, 2, 4 or 8 characters"
    .. " (each may be {character, highlight group})"):format(names)
  if type(value) == "string" then
    if vim.tbl_contains(NAMES, value) then return nil end
    return what .. (", got '%s'"):format(value)
  end
  if type(value) ~= "table" then return what .. ", got " .. type(value) end
  local n = sequence_length(value)
  if not n or not BORDER_LENGTHS[n] then
    return what .. (n and (", got %d items"):format(n) or ", got a table with keys")
  end
  for i, item in ipairs(value) do
    local err = border_item(item, i)
    if err then return "option 'border': " .. err end
  end
  local err = neovim_accepts(value)
  if err then return "option 'border': Neovim refuses it: " .. err end
  return nil
end

-- A whole number from low to high (not 50.5, not 0/0, not math.huge).
local function whole(value, low, high)
  return type(value) == "number" and value == value and value == math.floor(value) and value >= low and value <= high
end

--- validate(opts) → the merged configuration (a copy), or nil, message naming the option.
function M.validate(opts)
  if opts == nil then return vim.deepcopy(M.DEFAULTS) end
  if type(opts) ~= "table" then return nil, "options must be a table, got " .. type(opts) end
  local merged = vim.deepcopy(M.DEFAULTS)
  for key, value in pairs(opts) do
    if type(key) ~= "string" or M.DEFAULTS[key] == nil then
      return nil, ("unknown option '%s'; known: %s"):format(tostring(key), KNOWN)
    end
    merged[key] = value
  end
  local err = M.check_border(merged.border)
  if err then return nil, err end
  if not whole(merged.width, M.WIDTH_MIN, M.WIDTH_MAX) then
    return nil, ("option 'width' must be a whole number of columns from %d to %d, got %s"):format(M.WIDTH_MIN,
      M.WIDTH_MAX, type(merged.width) == "number" and tostring(merged.width) or type(merged.width))
  end
  if merged.units ~= "µg" and merged.units ~= "mcg" then
    return nil, ("option 'units' must be 'µg' or 'mcg', got %s"):format(vim.inspect(merged.units))
  end
  if type(merged.default_form) ~= "string" or merged.default_form == "" then
    return nil, "option 'default_form' must be a form such as K1, MK-4 or MK-7"
  end
  if type(merged.journal) ~= "string" then
    return nil, "option 'journal' must be a file name ('' for the default), got " .. type(merged.journal)
  end
  -- copied now, so a table the caller changes later (or one that refers to itself) is not used
  merged.border = type(merged.border) == "table" and vim.deepcopy(merged.border) or merged.border
  return merged
end

--- apply(opts, origin) → true, or false, message (remembered for :checkhealth).
function M.apply(opts, origin)
  local merged, err = M.validate(opts)
  if not merged then
    state.rejected = { message = err, origin = origin, when = os.date("%H:%M:%S") }
    return false, err
  end
  state.config, state.origin, state.rejected = merged, origin, nil
  return true
end

--- get() → the configuration in use (the live table; callers don't change it).
function M.get() return state.config end
function M.origin() return state.origin end
function M.rejected() return state.rejected end
--- set_form(name): the default form after it was found unknown to the store.
function M.set_form(name) state.config.default_form = name end

return M
