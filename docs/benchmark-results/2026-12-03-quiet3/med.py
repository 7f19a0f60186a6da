import json,sys,statistics
for f in sys.argv[1:]:
    for b in json.load(open(f)):
        raw=[x for fork in b['primaryMetric']['rawData'] for x in fork]
        p=b.get('params',{})
        print(f"{b['benchmark'].split('.')[-2]}.{b['benchmark'].split('.')[-1]:28s} {str(p):40s} median {statistics.median(raw):10.1f}  iters {[round(x,1) for x in raw]}")
