#!/usr/bin/env python3
"""The REST side of deploy/backup/recovery-drill.sh: orders through the platform's API, a snapshot of what it holds,
and the comparison of a restored platform with the snapshot taken at the target time. Python 3 standard library only.

  drill_api.py orders   URL PHASE ACKS      submit PHASE's orders (1, 2 or 3) as trader1 and trader2 (demo clients);
                                            append each acknowledged order to ACKS (JSON lines)
  drill_api.py snapshot URL FILE            as admin: every order, every trade, COMI.INT's depth, the audit chain's
                                            verification and its CSV export, into FILE (JSON)
  drill_api.py verify   URL SNAPSHOT ACKS   compare the platform at URL with SNAPSHOT (taken at the target time): every
                                            order acknowledged before it present with its state, none after it, trades and
                                            depth equal, the audit chain valid with the snapshot's records unchanged, and a
                                            new order trading against the rebuilt book; prints "drill: ..." result lines,
                                            exits 1 on any mismatch
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

SYMBOL = "COMI.INT"
ACCOUNTS = {"trader1": 1001, "trader2": 2001}

# The orders of each phase: (client, side, price, quantity). COMI.INT: internal venue (open around the clock), lots of
# 10, reference price 80.00. Phase 1 goes before the base backup, phase 2 after it and before the target time T, phase 3
# after T: it trades against and cancels orders of phases 1 and 2, so a restore to T must give those their state at T.
PHASES = {
    "1": [("trader1", "Buy", "80.00", 100), ("trader2", "Sell", "80.00", 40), ("trader2", "Sell", "81.00", 100),
          ("trader1", "Buy", "79.80", 50), ("trader2", "Sell", "80.90", 30)],
    "2": [("trader1", "Buy", "79.50", 50), ("trader2", "Sell", "79.90", 30), ("trader1", "Buy", "80.20", 20),
          ("trader2", "Sell", "81.50", 10), ("trader1", "Buy", "79.60", 40), ("trader2", "Sell", "80.70", 60)],
    "3": [("trader2", "Sell", "79.00", 200), ("trader1", "Buy", "81.00", 70), ("trader1", "Buy", "79.10", 30),
          ("trader2", "Sell", "82.00", 20)],
}
# Phase 3 first cancels the orders of phase 2 at these positions (open at T).
PHASE3_CANCELS = [3]


def call(method, url, token=None, body=None, form=None, accept="application/json"):
    headers = {"Accept": accept}
    data = None
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def token(base, client):
    status, text = call("POST", base + "/connect/token",
                        form={"grant_type": "client_credentials", "client_id": client, "client_secret": client + "-demo-secret"})
    if status != 200:
        sys.exit(f"drill_api: no token for {client}: HTTP {status} {text[:300]}")
    return json.loads(text)["access_token"]


def get_json(base, path, tok):
    status, text = call("GET", base + path, tok)
    if status != 200:
        sys.exit(f"drill_api: GET {path}: HTTP {status} {text[:300]}")
    return json.loads(text)


def all_pages(base, path, tok):
    items, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        body = get_json(base, f"{path}{sep}page={page}&pageSize=200", tok)
        items.extend(body["items"])
        if len(items) >= body["total"] or not body["items"]:
            return items
        page += 1


def orders(base, phase, acks_path):
    tokens = {c: token(base, c) for c in ACCOUNTS}
    acked = []
    if phase == "3":
        with open(acks_path) as f:
            earlier = [json.loads(line) for line in f if line.strip()]
        phase2 = [a for a in earlier if a["phase"] == "2"]
        for position in PHASE3_CANCELS:
            a = phase2[position - 1]
            client = PHASES["2"][position - 1][0]
            status, text = call("DELETE", f"{base}/api/v1/orders/{a['orderId']}", tokens[client])
            if status != 200:
                sys.exit(f"drill_api: phase 3 cancel of order {a['orderId']}: HTTP {status} {text[:400]}")
    for i, (client, side, price, qty) in enumerate(PHASES[phase], 1):
        cid = f"drill-p{phase}-{i}"
        status, text = call("POST", base + "/api/v1/orders", tokens[client], body={
            "accountId": ACCOUNTS[client], "clientOrderId": cid, "symbol": SYMBOL, "side": side, "type": "Limit",
            "timeInForce": "GTC", "price": float(price), "quantity": qty})
        if status != 201:
            sys.exit(f"drill_api: phase {phase} order {cid}: HTTP {status} {text[:400]}")
        o = json.loads(text)
        acked.append({"phase": phase, "orderId": o["orderId"], "clientOrderId": cid, "status": o["status"]})
    with open(acks_path, "a") as f:
        for a in acked:
            f.write(json.dumps(a) + "\n")
    print(f"phase {phase}: {len(acked)} orders acknowledged: " + ", ".join(f"{a['orderId']} {a['status']}" for a in acked),
          file=sys.stderr)


def take_snapshot(base, admin):
    status, csv = call("GET", base + "/api/v1/audit/export", admin, accept="text/csv")
    if status != 200:
        sys.exit(f"drill_api: GET /api/v1/audit/export: HTTP {status} {csv[:300]}")
    return {
        "orders": sorted(all_pages(base, "/api/v1/orders", admin), key=lambda o: o["orderId"]),
        "trades": sorted(all_pages(base, "/api/v1/trades", admin), key=lambda t: json.dumps(t, sort_keys=True)),
        "depth": get_json(base, f"/api/v1/instruments/{SYMBOL}/depth", admin),
        "auditVerify": get_json(base, "/api/v1/audit/verify", admin),
        "auditRows": [r for r in csv.split("\r\n")[1:] if r],
    }


def snapshot(base, path):
    s = take_snapshot(base, token(base, "admin"))
    with open(path, "w") as f:
        json.dump(s, f)
    print(f"snapshot: {len(s['orders'])} orders, {len(s['trades'])} trades, {len(s['auditRows'])} audit records, "
          f"chain valid: {s['auditVerify']['valid']}", file=sys.stderr)


def verify(base, snapshot_path, acks_path):
    with open(snapshot_path) as f:
        at_t = json.load(f)
    with open(acks_path) as f:
        acks = [json.loads(line) for line in f if line.strip()]
    admin = token(base, "admin")
    now = take_snapshot(base, admin)
    problems = []

    before = [a for a in acks if a["phase"] in ("1", "2")]
    after = [a for a in acks if a["phase"] == "3"]
    now_by_id = {o["orderId"]: o for o in now["orders"]}
    t_by_id = {o["orderId"]: o for o in at_t["orders"]}
    present = 0
    for a in before:
        o, expected = now_by_id.get(a["orderId"]), t_by_id.get(a["orderId"])
        if expected is None:
            problems.append(f"order {a['orderId']} ({a['clientOrderId']}) was acknowledged before T but is not in the snapshot at T")
        elif o is None:
            problems.append(f"order {a['orderId']} ({a['clientOrderId']}), acknowledged before T, is missing after the restore")
        elif o != expected:
            problems.append(f"order {a['orderId']} ({a['clientOrderId']}) differs from its state at T: "
                            f"at T {expected['status']} filled {expected['filledQuantity']}, now {o['status']} filled {o['filledQuantity']}")
        else:
            present += 1
    extra = sorted(set(now_by_id) - set(t_by_id))
    if extra:
        problems.append(f"orders not in the snapshot at T are present after the restore: {extra}")
    absent = 0
    for a in after:
        status, _ = call("GET", f"{base}/api/v1/orders/{a['orderId']}", admin)
        in_list = any(o["clientOrderId"] == a["clientOrderId"] for o in now["orders"])
        if status == 404 and not in_list:
            absent += 1
        else:
            problems.append(f"order {a['orderId']} ({a['clientOrderId']}), sent after T, is present after the restore (HTTP {status})")
    print(f"drill: orders acknowledged before T present with their state at T: {present}/{len(before)}")
    print(f"drill: orders sent after T absent: {absent}/{len(after)}")

    trades_equal = now["trades"] == at_t["trades"]
    if not trades_equal:
        problems.append(f"trades differ from T: {len(at_t['trades'])} at T, {len(now['trades'])} now")
    print(f"drill: trades equal to those at T: {'yes' if trades_equal else 'NO'} ({len(now['trades'])})")

    depth_equal = now["depth"] == at_t["depth"]
    if not depth_equal:
        problems.append(f"{SYMBOL} depth differs from T: at T {json.dumps(at_t['depth'])}, now {json.dumps(now['depth'])}")
    levels = len(now["depth"]["bids"]) + len(now["depth"]["asks"])
    print(f"drill: book {SYMBOL} rebuilt, depth equal to T: {'yes' if depth_equal else 'NO'} ({levels} levels)")

    n_t = len(at_t["auditRows"])
    prefix_equal = now["auditRows"][:n_t] == at_t["auditRows"]
    valid = now["auditVerify"]["valid"]
    if not valid:
        problems.append(f"audit chain broken after the restore: {json.dumps(now['auditVerify'])}")
    if not prefix_equal:
        problems.append(f"the {n_t} audit records of T are not unchanged after the restore")
    print(f"drill: audit chain verified: {'valid' if valid else 'BROKEN'}, {now['auditVerify']['recordsChecked']} records, "
          f"the {n_t} of T unchanged: {'yes' if prefix_equal else 'NO'}")

    # The rebuilt book takes orders: a sell at the best bid trades against the resting order there.
    traded = False
    if now["depth"]["bids"]:
        best = now["depth"]["bids"][0]
        status, text = call("POST", base + "/api/v1/orders", token(base, "trader2"), body={
            "accountId": ACCOUNTS["trader2"], "clientOrderId": "drill-after-restore", "symbol": SYMBOL, "side": "Sell",
            "type": "Limit", "timeInForce": "GTC", "price": best["price"], "quantity": 10})
        traded = status == 201 and json.loads(text)["filledQuantity"] == 10
        if not traded:
            problems.append(f"a sell of 10 at the restored best bid {best['price']} did not trade: HTTP {status} {text[:300]}")
        after_order = get_json(base, "/api/v1/audit/verify", admin)
        if not after_order["valid"]:
            problems.append(f"audit chain broken after a new order on the restored platform: {json.dumps(after_order)}")
    else:
        problems.append("the restored book has no bid to trade against")
    print(f"drill: a new order trades against the rebuilt book: {'yes' if traded else 'NO'}")

    for p in problems:
        print(f"drill: MISMATCH: {p}")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[0] == "orders" and argv[2] in PHASES:
        orders(argv[1].rstrip("/"), argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[0] == "snapshot":
        snapshot(argv[1].rstrip("/"), argv[2])
        return 0
    if len(argv) == 4 and argv[0] == "verify":
        return verify(argv[1].rstrip("/"), argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
