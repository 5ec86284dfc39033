#!/usr/bin/env python3
"""Runs shell commands in turns (round 1: every command once, round 2: again, ...) and reports each one's median wall
time and mean CPU time (user + system of the child) with the ratio to the first command. Commands are split into words like a shell
would, but run without one (as hyperfine -N runs them). Taking turns spreads a shared
machine's changing load over every command alike, which one-command-after-another runs (hyperfine) cannot do.
    interleaved.py ROUNDS NAME COMMAND [NAME COMMAND ...]     (the first command is the baseline)"""
import os, random, shlex, statistics, subprocess, sys, time

def run(command):
    start = time.perf_counter()
    process = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # split as hyperfine -N does: no shell
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed ({os.waitstatus_to_exitcode(status)}): {command}\n{error}")
    return wall, usage.ru_utime + usage.ru_stime

def main():
    rounds = int(sys.argv[1])
    pairs = sys.argv[2:]
    if not pairs or len(pairs) % 2:
        sys.exit(__doc__)
    commands = list(zip(pairs[0::2], pairs[1::2]))
    for _, command in commands:  # warm-up: the file cache, not the measurement
        run(command); run(command)
    walls = {name: [] for name, _ in commands}
    cpus = {name: [] for name, _ in commands}
    order = list(commands)
    for _ in range(rounds):
        random.shuffle(order)  # no command always runs right after the same neighbour
        for name, command in order:
            wall, cpu = run(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base = commands[0][0]
    base_wall, base_cpu = statistics.median(walls[base]), statistics.mean(cpus[base])
    print(f"{'command':52} {'wall median s':>13} {'ratio':>6} {'CPU mean s':>10} {'ratio':>6}   ({rounds} rounds, in turns)")
    for name, _ in commands:
        wall, cpu = statistics.median(walls[name]), statistics.mean(cpus[name])
        print(f"{name:52} {wall:13.3f} {wall / base_wall:6.2f} {cpu:10.3f} {cpu / base_cpu:6.2f}")

if __name__ == "__main__":
    main()
