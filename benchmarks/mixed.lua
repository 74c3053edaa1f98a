-- wrk script for the memory curve: cycle through the four main test types.
local paths = {"/plaintext", "/json", "/db", "/fortunes"}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i % #paths) + 1])
end
