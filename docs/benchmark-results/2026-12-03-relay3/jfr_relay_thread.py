import sys, json, subprocess, collections
f=sys.argv[1]; thread=sys.argv[2] if len(sys.argv)>2 else 'eventsource-relay'
out=subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout
d=json.loads(out)
ev=d['recording']['events']
incl=collections.Counter(); selfc=collections.Counter(); n=0
for e in ev:
    t=e['values']['sampledThread']
    name=(t.get('javaName') or t.get('osName') or '')
    if thread not in name: continue
    n+=1
    frames=e['values']['stackTrace']['frames']
    seen=set()
    for i,fr in enumerate(frames):
        m=fr['method']; k=m['type']['name'].split('.')[-1]+'.'+m['name']
        if i==0: selfc[k]+=1
        if k not in seen: incl[k]+=1; seen.add(k)
print('samples',n)
print('--- inclusive'); [print(f'{c*100/n:5.1f}% {k}') for k,c in incl.most_common(45)]
print('--- self'); [print(f'{c*100/n:5.1f}% {k}') for k,c in selfc.most_common(25)]
