#!/usr/bin/env python3
"""Runs shell commands in turns (round 1: every command once, round 2: again, ...) and reports each one's median wall
time and mean CPU time (user + system of the child) with the ratio to the first command. Taking turns spreads a
shared machine's changing load over every command alike, which one-command-after-another runs cannot do.

    interleaved.py ROUNDS [--json FILE] [--target MEASURED BASE LIMIT ...] NAME COMMAND [NAME COMMAND ...]

The first command is the baseline of the table. Commands are split into words as a POSIX shell would (shlex), but
run without one: quote a PowerShell -Command script as one word. A command that exits non-zero or writes anything
to stderr stops the run: PowerShell reports an error in a script (a command it cannot find, say) on stderr and
still exits 0, and such a row would time the error instead of the script.
--target checks that MEASURED's median wall time is at most LIMIT times BASE's (names as given); the run exits 1
when a target is missed. --json writes every sample and figure."""
import json, os, random, shlex, statistics, subprocess, sys, time

def run(command):
    start = time.perf_counter()
    process = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or error:
        sys.exit(f"command failed (exit code {code}{', wrote to stderr' if error else ''}): {command}\n{error}")
    return wall, usage.ru_utime + usage.ru_stime

def number(text, kind, what):
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value <= 0:
        sys.exit(f"{what} must be a positive number, not {text!r}\n\n{__doc__}")
    return value

def parse(arguments):
    if not arguments:
        sys.exit(__doc__)
    rounds, json_path, targets, rest = number(arguments[0], int, "ROUNDS"), None, [], arguments[1:]
    while rest and rest[0] in ("--json", "--target"):
        if rest[0] == "--json" and len(rest) >= 2:
            json_path, rest = rest[1], rest[2:]
        elif rest[0] == "--target" and len(rest) >= 4:
            targets.append((rest[1], rest[2], number(rest[3], float, "--target's LIMIT")))
            rest = rest[4:]
        else:
            sys.exit(__doc__)
    if not rest or len(rest) % 2:
        sys.exit(__doc__)
    commands = list(zip(rest[0::2], rest[1::2]))
    names = {name for name, _ in commands}
    for measured, base, _ in targets:
        for name in (measured, base):
            if name not in names:
                sys.exit(f"--target names a command that is not measured: {name}")
    return rounds, json_path, targets, commands

def main():
    rounds, json_path, targets, commands = parse(sys.argv[1:])
    for _, command in commands:  # warm-up: the file cache, not the measurement (and a first check of every command)
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
    wall = {name: statistics.median(samples) for name, samples in walls.items()}
    cpu = {name: statistics.mean(samples) for name, samples in cpus.items()}
    base = commands[0][0]
    print(f"{'command':56} {'wall median s':>13} {'ratio':>6} {'CPU mean s':>10} {'ratio':>6}   ({rounds} rounds, in turns)")
    for name, _ in commands:
        print(f"{name:56} {wall[name]:13.3f} {wall[name] / wall[base]:6.2f} {cpu[name]:10.3f} {cpu[name] / cpu[base]:6.2f}")
    missed = 0
    for measured, against, limit in targets:
        ratio = wall[measured] / wall[against]
        verdict = "met" if ratio <= limit else "MISSED"
        missed += ratio > limit
        print(f"target: {measured} / {against}: {ratio:.2f}x wall ({cpu[measured] / cpu[against]:.2f}x CPU), "
              f"at most {limit:.2f}x: {verdict}")
    if json_path:
        with open(json_path, "w") as out:
            json.dump({"rounds": rounds, "commands": [
                {"name": name, "command": command, "wallMedian": wall[name], "cpuMean": cpu[name],
                 "wall": walls[name], "cpu": cpus[name]} for name, command in commands]}, out, indent=1)
    sys.exit(1 if missed else 0)

if __name__ == "__main__":
    main()
