#!/usr/bin/env python3
"""Generates the module's help from one source, module/help/:
  en-US/BinanceKeys.dll-Help.xml      MAML for every cmdlet (what Get-Help reads), from cmdlets.json
  en-US/about_BinanceKeys.help.txt    the model, from about_BinanceKeys.txt plus every cmdlet's synopsis
  en-US/about_BinanceKeys_Rules.help.txt  every policy rule with its reason and fix, from rules.json
                                       (a test checks rules.json against the module's rule registry)

Usage: python3 tools/generate_help.py module/help module/en-US     (writes the three files)
       python3 tools/generate_help.py module/help/cmdlets.json     (prints the MAML only)
A module test fails when the committed files differ from what this script produces."""
import json, os, sys, textwrap
from xml.sax.saxutils import escape as e

def para(text):
    return ''.join(f'<maml:para>{e(p)}</maml:para>' for p in text.strip().split('\n\n'))

def command(c):
    verb, noun = c['name'].split('-', 1)
    out = []
    out.append('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    out.append(f'<command:details><command:name>{c["name"]}</command:name><maml:description>{para(c["synopsis"])}</maml:description><command:verb>{verb}</command:verb><command:noun>{noun}</command:noun></command:details>')
    out.append(f'<maml:description>{para(c["description"])}</maml:description>')
    out.append('<command:syntax>')
    for s in c['syntax']:
        out.append(f'<command:syntaxItem><maml:name>{c["name"]}</maml:name>')
        for pname in s:
            p = c['parameters'][pname]
            out.append(f'<command:parameter required="{str(p.get("required", False)).lower()}" globbing="false" pipelineInput="{p.get("pipeline","False")}" position="{p.get("position","named")}"><maml:name>{pname}</maml:name><command:parameterValue required="true">{e(p["type"])}</command:parameterValue></command:parameter>' if p['type'] != 'SwitchParameter' else f'<command:parameter required="{str(p.get("required", False)).lower()}" globbing="false" pipelineInput="False" position="named"><maml:name>{pname}</maml:name></command:parameter>')
        out.append('</command:syntaxItem>')
    out.append('</command:syntax><command:parameters>')
    for pname, p in c['parameters'].items():
        out.append(f'<command:parameter required="{str(p.get("required", False)).lower()}" globbing="{str(p.get("globbing", False)).lower()}" pipelineInput="{p.get("pipeline","False")}" position="{p.get("position","named")}"><maml:name>{pname}</maml:name><maml:description>{para(p["description"])}</maml:description><command:parameterValue required="true">{e(p["type"])}</command:parameterValue><dev:type><maml:name>{e(p["type"])}</maml:name></dev:type><dev:defaultValue>{e(p.get("default","None"))}</dev:defaultValue></command:parameter>')
    out.append('</command:parameters>')
    out.append('<command:inputTypes>' + ''.join(f'<command:inputType><dev:type><maml:name>{e(t)}</maml:name></dev:type><maml:description>{para(d)}</maml:description></command:inputType>' for t, d in c['inputs']) + '</command:inputTypes>')
    out.append('<command:returnValues>' + ''.join(f'<command:returnValue><dev:type><maml:name>{e(t)}</maml:name></dev:type><maml:description>{para(d)}</maml:description></command:returnValue>' for t, d in c['outputs']) + '</command:returnValues>')
    out.append(f'<maml:alertSet><maml:alert>{para(c["notes"])}</maml:alert></maml:alertSet>')
    out.append('<command:examples>')
    for i, (title, code, remarks) in enumerate(c['examples'], 1):
        out.append(f'<command:example><maml:title>-------------------------- Example {i}: {e(title)} --------------------------</maml:title><dev:code>{e(code)}</dev:code><dev:remarks>{para(remarks)}</dev:remarks></command:example>')
    out.append('</command:examples>')
    out.append('<command:relatedLinks>' + ''.join(f'<maml:navigationLink><maml:linkText>{l}</maml:linkText></maml:navigationLink>' for l in c['links']) + '</command:relatedLinks>')
    out.append('</command:command>')
    return '\n'.join(out)

def maml(commands):
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<!-- MAML help for the BinanceKeys cmdlets. Get-Help reads it from en-US beside BinanceKeys.dll. -->',
             '<helpItems schema="maml" xmlns="http://msh">']
    lines += [command(c) for c in commands]
    lines.append('</helpItems>')
    return '\n'.join(lines) + '\n'

def wrap(text, indent):
    return '\n'.join(textwrap.wrap(' '.join(text.split()), width=78, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))

def about_module(source, commands):
    lines = [source.rstrip('\n')]
    for c in sorted(commands, key=lambda c: c['name']):
        lines.append('    ' + c['name'])
        lines.append(wrap(c['synopsis'], '        '))
    lines += ['', 'SEE ALSO', '    about_BinanceKeys_Rules', '    Get-Help <command> -Full (every command has examples)', '']
    return '\n'.join(lines)

def about_rules(rules):
    lines = ['TOPIC', '    about_BinanceKeys_Rules', '',
             'SHORT DESCRIPTION', "    Every policy rule BinanceKeys checks: its id, severity, reason and fix.", '',
             'LONG DESCRIPTION',
             wrap("New-BinanceApiKey, Set-BinanceApiKeyPermission, Set-BinanceApiKeyRestriction and "
                  "Test-BinanceApiKeyPolicy check every key against these rules. BNnnn rules are Binance's own; "
                  "ORGnnn rules come from the policy: block of a desired-state file. A finding of severity Error "
                  "stops a write before anything is sent; Warning and Info findings are reported and the write goes on. "
                  "Each finding (BinanceKeys.PolicyFinding) carries the RuleId below, and for files the file, line, "
                  "column and YAML path.", '    '), '']
    for r in rules:
        lines.append(f'  {r["id"]} ({r["severity"]}): {r["title"]}')
        lines.append(wrap('Reason: ' + r['reason'], '    '))
        lines.append(wrap('Fix: ' + r['fix'], '    '))
        lines.append('')
    lines += ['SEE ALSO', '    about_BinanceKeys', '    Test-BinanceApiKeyPolicy', '']
    return '\n'.join(lines)

if len(sys.argv) == 2:
    sys.stdout.write(maml(json.load(open(sys.argv[1], encoding='utf-8'))))
    sys.exit(0)
source, target = sys.argv[1], sys.argv[2]
commands = json.load(open(os.path.join(source, 'cmdlets.json'), encoding='utf-8'))
outputs = {
    'BinanceKeys.dll-Help.xml': maml(commands),
    'about_BinanceKeys.help.txt': about_module(open(os.path.join(source, 'about_BinanceKeys.txt'), encoding='utf-8').read(), commands),
    'about_BinanceKeys_Rules.help.txt': about_rules(json.load(open(os.path.join(source, 'rules.json'), encoding='utf-8'))),
}
for name, text in outputs.items():
    with open(os.path.join(target, name), 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
