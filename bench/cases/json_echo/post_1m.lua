-- wrk script: POST a 1 MiB JSON document (1,048,576 bytes exactly): an array of small objects.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local item = '{"id":12345,"name":"abcdefghij","ok":true,"tags":["a","b"]}'
local parts = {}
local size = 2 -- the brackets
while size + #item + 1 <= 1048576 - 64 do
  parts[#parts + 1] = item
  size = size + #item + 1
end
local body = "[" .. table.concat(parts, ",")
local pad = 1048576 - #body - 4  -- ,"<pad>"]
body = body .. ',"' .. string.rep("p", pad) .. '"]'
wrk.body = body
