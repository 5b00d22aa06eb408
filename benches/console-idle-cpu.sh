#!/usr/bin/env bash
# The console's CPU over 60 s idle against a demo controller at a 1 s interval.
# Run from the repository root after `cargo build --release`; needs tmux. Not run in CI.
set -euo pipefail
bin=./target/release/switchboard
state=$(mktemp -d)
$bin controller --demo --listen 127.0.0.1:18099 --state-dir "$state" 2>/dev/null &
ctl=$!
sleep 2
tmux new-session -d -s cpu -x 200 -y 50 "XDG_STATE_HOME=$state $bin console --controller http://127.0.0.1:18099 --interval 1s"
sleep 5
pid=$(for p in $(pgrep -x switchboard); do tr "\0" " " < /proc/$p/cmdline | grep -q " console " && echo $p; done | head -1)
echo "console pid $pid: $(tr "\0" " " < /proc/$pid/cmdline)"
tck=$(getconf CLK_TCK)
read -r u0 s0 < <(awk '{print $14, $15}' /proc/$pid/stat)
sleep 60
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
ticks=$(( (u1 - u0) + (s1 - s0) ))
python3 -c "t=$ticks/$tck; print(f'console CPU over 60 s: {t:.3f} s = {t/60*100:.2f}% of one core (utime+stime from /proc/$pid/stat)')"
tmux kill-session -t cpu
kill $ctl
