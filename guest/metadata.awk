# Reads an OpenStack meta_data.json (one JSON document, as System.Text.Json writes it) and prints the
# cirros-style datasource block. busybox awk has no JSON support, so this is a small recursive-descent
# parser: every scalar lands in val[path] (path parts joined by SUBSEP, array items by index), in
# document order in order[]. Strings are unescaped (\" \\ \/ \b \f \n \r \t \uXXXX incl. surrogate
# pairs to UTF-8); bytes outside escapes pass through untouched, so UTF-8 names print as written.
# The fully qualified hostname is written to the file named by -v hostfile=... for /init.

function hexval(h,    i, v) {
    v = 0; h = tolower(h)
    for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
    return v
}

function utf8(cp) {
    if (cp < 128) return sprintf("%c", cp)
    if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
    if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
    return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, 128 + cp % 64)
}

function ws() { while (pos <= n && index(" \t\r\n", substr(s, pos, 1))) pos++ }

# pos is on the opening quote; returns the unescaped string and leaves pos after the closing quote.
function readstr(    out, c, e, cp, lo) {
    pos++; out = ""
    while (pos <= n) {
        c = substr(s, pos, 1)
        if (c == "\"") { pos++; return out }
        if (c == "\\") {
            pos++; e = substr(s, pos, 1)
            if (e == "n") out = out "\n"
            else if (e == "t") out = out "\t"
            else if (e == "r") out = out "\r"
            else if (e == "b") out = out "\b"
            else if (e == "f") out = out "\f"
            else if (e == "u") {
                cp = hexval(substr(s, pos + 1, 4)); pos += 4
                if (cp >= 55296 && cp < 56320 && substr(s, pos + 1, 2) == "\\u") {
                    lo = hexval(substr(s, pos + 3, 4))
                    if (lo >= 56320 && lo < 57344) { cp = 65536 + (cp - 55296) * 1024 + (lo - 56320); pos += 6 }
                }
                out = out utf8(cp)
            }
            else out = out e
            pos++; continue
        }
        out = out c; pos++
    }
    return out
}

function store(path, v) { val[path] = v; order[++count] = path }

function value(path,    c, k, i, v) {
    ws(); c = substr(s, pos, 1)
    if (c == "{") {
        pos++; ws()
        if (substr(s, pos, 1) == "}") { pos++; return }
        while (pos <= n) {
            ws(); k = readstr(); ws(); pos++   # the colon
            value(path == "" ? k : path SUBSEP k)
            ws(); c = substr(s, pos, 1); pos++
            if (c != ",") return
        }
        return
    }
    if (c == "[") {
        pos++; ws(); i = 0
        if (substr(s, pos, 1) == "]") { pos++; return }
        while (pos <= n) {
            value(path SUBSEP i); i++
            ws(); c = substr(s, pos, 1); pos++
            if (c != ",") return
        }
        return
    }
    if (c == "\"") { store(path, readstr()); return }
    v = ""
    while (pos <= n && index(",}] \t\r\n", substr(s, pos, 1)) == 0) { v = v substr(s, pos, 1); pos++ }
    store(path, v)
}

# Control characters would let a name rewrite the console; everything else is printed as is.
function shown(v) { gsub(/[\001-\037\177]/, "?", v); return v }

# ssh-keygen -l -E md5: the MD5 of the base64-decoded key blob, as colon-separated hex pairs.
function fingerprint(key,    f, cmd, line, fp, i) {
    split(key, f, " ")
    if (f[2] !~ /^[A-Za-z0-9+\/]+=*$/) return "(not a key)"
    cmd = "printf %s '" f[2] "' | base64 -d | md5sum"
    line = ""; cmd | getline line; close(cmd)
    if (line !~ /^[0-9a-f]{32}/) return "(not a key)"
    fp = substr(line, 1, 2)
    for (i = 3; i < 33; i += 2) fp = fp ":" substr(line, i, 2)
    return fp
}

{ s = s $0 "\n" }

END {
    n = length(s); pos = 1; count = 0
    value("")
    print "=== datasource: configdrive ==="
    print "instance-id: " shown(val["uuid"])
    print "name: " shown(val["name"])
    print "availability-zone: " shown(val["availability_zone"])
    print "local-hostname: " shown(val["hostname"])
    print "launch-index: " shown(val["launch_index"])
    keys = 0
    for (i = 1; i <= count; i++) {
        split(order[i], p, SUBSEP)
        if (p[1] == "public_keys" && index(order[i], SUBSEP) && p[3] == "") {
            print "public-keys: " shown(p[2]) " " fingerprint(val[order[i]])
            keys++
        }
    }
    if (keys == 0) print "public-keys: none"
    if (hostfile != "") { printf "%s\n", val["hostname"] > hostfile; close(hostfile) }
}
