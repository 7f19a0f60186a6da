import json, subprocess, sys, collections
f = sys.argv[1]; thread_prefix = sys.argv[2] if len(sys.argv) > 2 else 'eventsource-relay-bench'
out = subprocess.run(['jfr','print','--json','--stack-depth','64','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
data = json.loads(out)
selfc = collections.Counter(); incl = collections.Counter(); n = 0
for e in data['recording']['events']:
    v = e['values']; t = v['sampledThread']
    name = (t.get('javaName') or t.get('osName') or '')
    if not name.startswith(thread_prefix): continue
    frames = v['stackTrace']['frames'] if v.get('stackTrace') else []
    if not frames: continue
    n += 1
    fr = [x['method']['type']['name'].split('.')[-1] + '.' + x['method']['name'] for x in frames]
    selfc[fr[0]] += 1
    for m in set(fr): incl[m] += 1
print('samples on', thread_prefix, n)
print('-- self top 15'); [print(f'{c:5d} {100*c/n:5.1f}% {m}') for m, c in selfc.most_common(15)]
print('-- inclusive top 30'); [print(f'{c:5d} {100*c/n:5.1f}% {m}') for m, c in incl.most_common(30)]
