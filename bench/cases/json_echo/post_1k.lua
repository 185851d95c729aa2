-- wrk script: POST a 1 KiB JSON document (1,024 bytes exactly).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":"' .. string.rep("x", 1024 - 11) .. '"}'
