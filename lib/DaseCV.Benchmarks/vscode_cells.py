#!/usr/bin/env python3
"""Run a notebook's code cells in order in dotnet-interactive as VS Code starts it (stdio, JSON envelopes).
Usage: vscode_cells.py REPO NOTEBOOK [name=value ...]  (overrides appended to the parameters cell)."""
import json, subprocess, sys, time, os, signal, threading, queue
repo, nb = sys.argv[1], sys.argv[2]
overrides = sys.argv[3:]
cells = json.load(open(nb))['cells']
p = subprocess.Popen(['dotnet', 'tool', 'run', 'dotnet-interactive', '--', '[vscode]', 'stdio', '--working-dir',
                      os.path.dirname(os.path.abspath(nb))], cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL, text=True, bufsize=1, start_new_session=True)
q = queue.Queue()
threading.Thread(target=lambda: [q.put(l) for l in p.stdout] + [q.put(None)], daemon=True).start()
t0 = time.time(); failed = 0; n = 0
for i, c in enumerate(cells):
    if c['cell_type'] != 'code':
        continue
    code = ''.join(c['source'])
    if 'parameters' in c.get('metadata', {}).get('tags', []):
        for o in overrides:
            k, v = o.split('=', 1)
            code += f'\n{k} = {v};'
    n += 1; tok = f'cell{i}'; start = time.time()
    p.stdin.write(json.dumps({'token': tok, 'commandType': 'SubmitCode', 'command': {'code': code, 'targetKernelName': 'csharp'}}) + '\n'); p.stdin.flush()
    out = []; kinds = set()
    while True:
        line = q.get()
        if line is None:
            print('kernel exited'); os.killpg(p.pid, signal.SIGKILL); sys.exit(2)
        try: m = json.loads(line)
        except Exception: continue
        cmd = m.get('command') or {}
        if cmd.get('token', '').split('.')[0] != tok and not cmd.get('token', '').startswith(tok):
            continue
        et = m.get('eventType')
        if et == 'StandardOutputValueProduced':
            out += [v['value'] for v in m['event']['formattedValues']]
        elif et in ('DisplayedValueProduced', 'ReturnValueProduced', 'DisplayedValueUpdated'):
            kinds |= {v['mimeType'] for v in m['event']['formattedValues']}
        elif et == 'CommandFailed':
            failed += 1; print(f'[{i}] FAILED: {m["event"]["message"][:600]}'); break
        elif et == 'CommandSucceeded':
            break
    text = ''.join(out)
    interesting = [l for l in text.splitlines() if any(w in l.lower() for w in ('accuracy', 'best', 'loss', 'error', 'got ', 'difference', '正确'))]
    print(f'[{i}] {time.time()-start:6.1f}s outputs={sorted(kinds)} ' + ' | '.join(interesting[-4:])[:400], flush=True)
    if failed: break
print(f'{n} code cells, {failed} failed, {time.time()-t0:.0f}s')
# `dotnet tool run` starts the kernel as a child that spins once stdin closes: stop the whole group.
os.killpg(p.pid, signal.SIGKILL)
sys.exit(1 if failed else 0)
