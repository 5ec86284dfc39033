#!/usr/bin/env python3
"""Generates module/en-US/BinanceKeys.dll-Help.xml (MAML, what Get-Help reads) from module/help/cmdlets.json.

Usage: python3 tools/generate_help.py module/help/cmdlets.json > module/en-US/BinanceKeys.dll-Help.xml
A module test fails when the committed XML differs from what this script produces."""
import json, sys
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

data = json.load(open(sys.argv[1]))
print('<?xml version="1.0" encoding="utf-8"?>')
print('<!-- MAML help for the BinanceKeys cmdlets. Get-Help reads it from en-US beside BinanceKeys.dll. -->')
print('<helpItems schema="maml" xmlns="http://msh">')
for c in data: print(command(c))
print('</helpItems>')
