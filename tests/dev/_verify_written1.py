import json, re, collections
text = open("corpus/kunshan-safety-plan-midterm-evaluation-2023.txt", encoding="utf-8").read()
rows = [json.loads(l) for l in open("tests/dev/written-1.jsonl", encoding="utf-8")]
bad = 0
ids = set()
for r in rows:
    assert r["id"] not in ids; ids.add(r["id"])
    for ev in r["evidence"]:
        if ev not in text: print("EVIDENCE MISSING", r["id"], repr(ev)); bad += 1
    for m in r["must_contain"]:
        if m not in r["answer"]: print("NOT IN ANSWER", r["id"], m); bad += 1
        if r["category"] != "comparison":
            pat = (r"(?<![\d.])" if m[0].isdigit() else "") + re.escape(m) + (r"(?!\d)" if m[-1].isdigit() else "")
            if not re.search(pat, text): print("NOT IN REPORT", r["id"], m); bad += 1
            # also must appear within the evidence
            if not any(re.search(pat, ev) for ev in r["evidence"]): print("NOT IN EVIDENCE", r["id"], m); bad += 1
    if r["category"] == "unanswerable":
        assert r["must_contain"] == [] and r["evidence"] == []
    else:
        assert r["evidence"] and r["must_contain"]
print("problems:", bad)
print(collections.Counter(r["category"] for r in rows), len(rows))
