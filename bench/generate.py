#!/usr/bin/env python3
"""Generates large, realistic WiX inputs for wixcheck's benchmarks.

    python3 bench/generate.py package OUT.wxs [--components N] [--actions M]
    python3 bench/generate.py chain OUT.wxs [--actions N]

`package`: a v4 Package with N components (a file and a registry value each) and M custom
actions scheduled in Before/After chains against standard actions and each other.
`chain`: one chain of N custom actions, each After the previous one.
Output is deterministic (fixed seed).
"""
import argparse
import random

HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n'
ANCHORS = ["InstallValidate", "InstallInitialize", "InstallFiles", "WriteRegistryValues",
           "PublishProduct", "InstallFinalize", "CostFinalize"]


def package(out, components, actions):
    rng = random.Random(42)
    out.write(HEADER)
    out.write('  <Package Name="Big" Manufacturer="Bench" Version="1.0.0" UpgradeCode="11111111-2222-3333-4444-555555555555">\n')
    out.write('    <StandardDirectory Id="ProgramFiles6432Folder">\n      <Directory Id="INSTALLFOLDER" Name="Big">\n')
    for i in range(components):
        out.write(f'        <Component Id="C{i}" Guid="*">\n'
                  f'          <File Id="F{i}" Source="payload\\file{i:06}.dat" KeyPath="yes" />\n'
                  f'          <RegistryValue Root="HKLM" Key="Software\\Bench\\{i}" Name="Path" Value="[INSTALLFOLDER]" Type="string" />\n'
                  f'        </Component>\n')
    out.write('      </Directory>\n    </StandardDirectory>\n')
    out.write('    <Binary Id="CA" SourceFile="ca.dll" />\n')
    for i in range(actions):
        execute = rng.choice(["immediate", "deferred"])
        out.write(f'    <CustomAction Id="Action{i}" BinaryRef="CA" DllEntry="Entry{i}" Execute="{execute}" />\n')
    out.write('    <InstallExecuteSequence>\n')
    for i in range(actions):
        side = rng.choice(["Before", "After"])
        if i > 0 and rng.random() < 0.7:
            anchor = f"Action{rng.randrange(i)}"
        else:
            anchor = rng.choice(ANCHORS)
        if anchor == "CostFinalize" and side == "Before":
            side = "After"
        out.write(f'      <Custom Action="Action{i}" {side}="{anchor}" Condition="NOT Installed" />\n')
    out.write('    </InstallExecuteSequence>\n  </Package>\n</Wix>\n')


def chain(out, actions):
    out.write(HEADER)
    out.write('  <Package Name="Chain" Manufacturer="Bench" Version="1.0.0">\n    <Binary Id="CA" SourceFile="ca.dll" />\n')
    for i in range(actions):
        out.write(f'    <CustomAction Id="A{i}" BinaryRef="CA" DllEntry="E" />\n')
    out.write('    <InstallExecuteSequence>\n')
    for i in range(actions):
        anchor = "InstallFiles" if i == 0 else f"A{i - 1}"
        out.write(f'      <Custom Action="A{i}" After="{anchor}" />\n')
    out.write('    </InstallExecuteSequence>\n  </Package>\n</Wix>\n')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["package", "chain"])
    parser.add_argument("out")
    parser.add_argument("--components", type=int, default=200_000)
    parser.add_argument("--actions", type=int, default=5_000)
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as out:
        if args.kind == "package":
            package(out, args.components, args.actions)
        else:
            chain(out, args.actions)


if __name__ == "__main__":
    main()
