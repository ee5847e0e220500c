#!/usr/bin/env python3
"""Score mined rewrites against db/gen-sessions.py's truth.

    python3 tests/bench/rewrites-score.py TRUTH.jsonl LIST.jsonl

LIST is `dialab rewrites list --json`.  Prints precision and recall per
layer, the rewrites of texts that must never be rewritten, and how many
personal truths resolve would serve (the user's personal rewrite, else
the global one).  Texts are compared normalised as dialab's tok_norm
does for plain ASCII: lower case, words only.
"""
import json, sys, re
def norm(s):
    s = s.lower().replace('\u2019', "'")
    return ' '.join(re.findall(r"[\w][\w'&./:+@-]*[\w]|[\w]", s))
truth = [json.loads(l) for l in open(sys.argv[1])]
mined = [json.loads(l) for l in open(sys.argv[2])]
want = {}
never = set()
for t in truth:
    if 'never' in t:
        never.add(norm(t['never']))
    else:
        want[(t['scope'], t.get('user'), norm(t['from']))] = norm(t['to'])
got = {(m['scope'], m['user'], m['from']): m['to'] for m in mined}
for scope in ('global', 'personal'):
    w = {k: v for k, v in want.items() if k[0] == scope}
    g = {k: v for k, v in got.items() if k[0] == scope}
    right = sum(1 for k, v in g.items() if w.get(k) == v)
    print("%-8s truth %4d  mined %4d  right %4d  precision %.3f  recall %.3f" % (
        scope, len(w), len(g), right, right / len(g) if g else 0, right / len(w) if w else 0))
bad = [m for m in mined if m['from'] in never]
print("rewrites of utterances that must never be rewritten:", len(bad))
for m in bad[:5]:
    print("  ", m['scope'], m['user'], m['from'], '->', m['to'])
wrong = [(k, v, want.get(k)) for k, v in got.items() if want.get(k) != v][:8]
for k, v, w in wrong:
    print("  wrong:", k, '->', v, '| truth:', w)
# what resolve would do, per personal truth entry: personal first, then global
eff_right = 0
miss = []
for (scope, user, frm), to in want.items():
    if scope != 'personal':
        continue
    e = got.get(('personal', user, frm)) or got.get(('global', None, frm))
    if e == to:
        eff_right += 1
    else:
        miss.append((user, frm, to, e))
n = sum(1 for k in want if k[0] == 'personal')
print("personal truth served by resolve (personal, else global): %d of %d (%.3f)" % (eff_right, n, eff_right / n if n else 0))
for m in miss[:6]:
    print("   miss:", m)
