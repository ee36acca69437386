#!/usr/bin/env python3
"""Generates large, realistic WiX inputs for wixcheck's benchmarks (deterministic: fixed seeds).

    python3 bench/generate.py package OUT.wxs [--megabytes N | --components N [--actions M]]
    python3 bench/generate.py chain OUT.wxs [--actions N]
    python3 bench/generate.py project DIR [--files N]
    python3 bench/generate.py diagnostics OUT.wxs [--count N]

`package`: a v4 Package with N components (a file and a registry value each, like heat output)
and M custom actions (default N / 40) scheduled in Before/After chains against the standard
actions and each other. `--megabytes N` picks the component count for a file of about N MiB
(200,000 components and 5,000 actions are about 50 MiB). The schedule is planned so that every
chain fits into the room between its standard actions, deferred actions run inside
InstallInitialize..InstallFinalize and every action has a condition: WiX would build it and
`wixcheck check` finds nothing.
`chain`: one chain of N custom actions, each After the previous one. It cannot fit into
1..32767 (WiX says WIX0179 for most of it): it measures how fast the numbering runs.
`project`: N heat-like fragment files (a directory, its components, a component group and a
few custom actions each) and a `Product.wxs` Package that links all of them through
ComponentGroupRef and CustomActionRef.
`diagnostics`: one multi-megabyte file on which `wixcheck check` reports at least N
diagnostics (WXC102: a Custom row whose anchor does not exist), spread over the whole file.
"""
import argparse
import os
import random
import sys

WIX_NAMESPACE = "http://wixtoolset.org/schemas/v4/wxs"
HEADER = f'<?xml version="1.0" encoding="utf-8"?>\n<Wix xmlns="{WIX_NAMESPACE}">\n'
PACKAGE_OPEN = ('  <Package Name="{name}" Manufacturer="Bench" Version="1.0.0" '
                'UpgradeCode="11111111-2222-3333-4444-555555555555">\n')
CONDITIONS = ["NOT Installed", "NOT REMOVE", "Installed AND NOT REMOVE", "VersionNT &gt;= 601"]

# The absolute actions of InstallExecuteSequence in a Package with files, components and
# registry values, under WiX v5+ (the default major upgrade adds the first two and
# MigrateFeatureStates). Standard actions that are absent leave more room, never less.
EXECUTE_ANCHORS = [
    ("FindRelatedProducts", 25), ("LaunchConditions", 100), ("ValidateProductID", 700),
    ("CostInitialize", 800), ("FileCost", 900), ("CostFinalize", 1000),
    ("MigrateFeatureStates", 1200), ("InstallValidate", 1400), ("InstallInitialize", 1500),
    ("ProcessComponents", 1600), ("UnpublishFeatures", 1800), ("RemoveRegistryValues", 2600),
    ("RemoveFiles", 3500), ("RemoveFolders", 3600), ("CreateFolders", 3700),
    ("InstallFiles", 4000), ("WriteRegistryValues", 5000), ("RegisterUser", 6000),
    ("RegisterProduct", 6100), ("PublishFeatures", 6300), ("PublishProduct", 6400),
    ("InstallFinalize", 6600),
]
# Rows the default major upgrade hangs off an anchor: RemoveExistingProducts After InstallValidate.
RESERVED_AFTER = {"InstallValidate": 1}
TRANSACTION = ("InstallInitialize", "InstallFinalize")
LAST_SEQUENCE = 32767
# Plan chains into at most this share of a gap, as real packages leave room.
FILL = 0.8
DEFERRED_SHARE = 0.35
COMPONENTS_PER_MEBIBYTE = 200_000 / 50
COMPONENTS_PER_ACTION = 40


class Gap:
    """The free numbers between two neighbouring absolute actions, and the chains planned there."""

    def __init__(self, after, before, room, in_transaction):
        self.after, self.before = after, before
        self.capacity = int(room * FILL)
        self.in_transaction = in_transaction
        self.actions = []


def execute_gaps():
    """The gaps of InstallExecuteSequence, from before its first absolute action to after its last."""
    gaps = []
    previous, previous_number = None, 0
    inside = False
    for name, number in EXECUTE_ANCHORS + [(None, LAST_SEQUENCE + 1)]:
        room = number - previous_number - 1 - RESERVED_AFTER.get(previous, 0)
        gaps.append(Gap(previous, name, room, inside and name is not None))
        if name == TRANSACTION[0]:
            inside = True
        if name == TRANSACTION[1]:
            inside = False
        previous, previous_number = name, number
    return gaps


def plan_schedule(count, rng):
    """Plans `count` custom actions: returns (id, execute, placement attribute, anchor) rows in
    id order. Each action goes to a gap with room (deferred ones inside the transaction) and
    hangs off the gap's standard actions or an action planned there before it, so the chains
    have no cycles and every block fits."""
    gaps = execute_gaps()
    deferred = [rng.random() < DEFERRED_SHARE for _ in range(count)]
    rows = [None] * count
    # Deferred actions first: the transaction is where room is scarce.
    for index in sorted(range(count), key=lambda i: not deferred[i]):
        eligible = [g for g in gaps if len(g.actions) < g.capacity and (g.in_transaction or not deferred[index])]
        if not eligible:
            sys.exit(f"generate.py: no room left for {count} custom actions ({sum(deferred)} deferred)")
        gap = rng.choice(eligible)
        name = f"Action{index}"
        sides = [("After", gap.after)] if gap.after else []
        sides += [("Before", gap.before)] if gap.before else []
        if gap.actions and rng.random() < 0.7:
            side = (rng.choice(["Before", "After"]), rng.choice(gap.actions))
        else:
            side = rng.choice(sides)
        gap.actions.append(name)
        rows[index] = (name, "deferred" if deferred[index] else "immediate", side[0], side[1])
    return rows


def custom_action(name, execute, binary="CA"):
    extra = ' Impersonate="no"' if execute == "deferred" else ""
    return (f'<CustomAction Id="{name}" BinaryRef="{binary}" DllEntry="{name}Entry" '
            f'Execute="{execute}"{extra} Return="check" />')


def custom_row(name, placement, anchor, rng):
    return f'<Custom Action="{name}" {placement}="{anchor}" Condition="{rng.choice(CONDITIONS)}" />'


def scheduled_actions(out, rows, rng, binary, indent):
    """Writes the Binary, the CustomAction elements of `rows` and their InstallExecuteSequence."""
    pad = " " * indent
    out.write(f'{pad}<Binary Id="{binary}" SourceFile="{binary.lower()}.dll" />\n')
    for name, execute, _, _ in rows:
        out.write(f"{pad}{custom_action(name, execute, binary)}\n")
    out.write(f'{pad}<InstallExecuteSequence>\n')
    for name, _, placement, anchor in rows:
        out.write(f"{pad}  {custom_row(name, placement, anchor, rng)}\n")
    out.write(f'{pad}</InstallExecuteSequence>\n')


def linking_package(out, name, groups):
    """Opens a Package with an empty install folder and a Feature of `groups` component
    groups, Group0..; the caller adds more children and closes it."""
    out.write(HEADER + PACKAGE_OPEN.format(name=name))
    out.write('    <StandardDirectory Id="ProgramFiles6432Folder">\n'
              f'      <Directory Id="INSTALLFOLDER" Name="{name}" />\n    </StandardDirectory>\n')
    out.write('    <Feature Id="Main">\n')
    for number in range(groups):
        out.write(f'      <ComponentGroupRef Id="Group{number}" />\n')
    out.write('    </Feature>\n')


def component(index, indent=8, source_dir="payload"):
    pad = " " * indent
    return (f'{pad}<Component Id="C{index}" Guid="*">\n'
            f'{pad}  <File Id="F{index}" Source="{source_dir}\\file{index:06}.dat" KeyPath="yes" />\n'
            f'{pad}  <RegistryValue Root="HKLM" Key="Software\\Bench\\{index}" Name="Path" '
            f'Value="[INSTALLFOLDER]" Type="string" />\n'
            f'{pad}</Component>\n')


def package(out, components, actions):
    rng = random.Random(42)
    rows = plan_schedule(actions, rng)
    out.write(HEADER + PACKAGE_OPEN.format(name="Big"))
    out.write('    <StandardDirectory Id="ProgramFiles6432Folder">\n      <Directory Id="INSTALLFOLDER" Name="Big">\n')
    for index in range(components):
        out.write(component(index))
    out.write('      </Directory>\n    </StandardDirectory>\n')
    scheduled_actions(out, rows, rng, "CA", indent=4)
    out.write('  </Package>\n</Wix>\n')


def chain(out, actions):
    out.write(HEADER + PACKAGE_OPEN.format(name="Chain"))
    out.write('    <Binary Id="CA" SourceFile="ca.dll" />\n')
    for index in range(actions):
        out.write(f'    <CustomAction Id="A{index}" BinaryRef="CA" DllEntry="E" />\n')
    out.write('    <InstallExecuteSequence>\n')
    for index in range(actions):
        anchor = "InstallFiles" if index == 0 else f"A{index - 1}"
        out.write(f'      <Custom Action="A{index}" After="{anchor}" />\n')
    out.write('    </InstallExecuteSequence>\n  </Package>\n</Wix>\n')


def project(directory, files, components_per_file=5, actions_per_file=2):
    """Fragments like `heat dir` output (one directory each) plus a fragment of custom actions
    each; `Product.wxs` references every component group and custom action."""
    rng = random.Random(7)
    rows = plan_schedule(files * actions_per_file, rng)
    os.makedirs(directory, exist_ok=True)
    for number in range(files):
        with open(os.path.join(directory, f"Fragment{number:04}.wxs"), "w", encoding="utf-8") as out:
            out.write(HEADER)
            out.write('  <?define PayloadDir = "payload" ?>\n')
            out.write('  <Fragment>\n    <DirectoryRef Id="INSTALLFOLDER">\n'
                      f'      <Directory Id="Dir{number}" Name="part{number:04}">\n')
            first = number * components_per_file
            for index in range(first, first + components_per_file):
                out.write(component(index, indent=8, source_dir="$(var.PayloadDir)"))
            out.write('      </Directory>\n    </DirectoryRef>\n  </Fragment>\n')
            out.write(f'  <Fragment>\n    <ComponentGroup Id="Group{number}">\n')
            for index in range(first, first + components_per_file):
                out.write(f'      <ComponentRef Id="C{index}" />\n')
            out.write('    </ComponentGroup>\n  </Fragment>\n')
            out.write('  <Fragment>\n')
            mine = rows[number * actions_per_file:(number + 1) * actions_per_file]
            scheduled_actions(out, mine, rng, f"CA{number}", indent=4)
            out.write('  </Fragment>\n</Wix>\n')
    with open(os.path.join(directory, "Product.wxs"), "w", encoding="utf-8") as out:
        linking_package(out, "Project", files)
        for name, _, _, _ in rows:
            out.write(f'    <CustomActionRef Id="{name}" />\n')
        out.write('  </Package>\n</Wix>\n')


def diagnostics(out, count, components_per_fragment=4):
    """A Package linking `count` fragments; each has components and a Custom row After an
    action that does not exist, so every fragment adds one WXC102 somewhere in the file."""
    rng = random.Random(3)
    linking_package(out, "Diagnostics", count)
    out.write('    <Binary Id="CA" SourceFile="ca.dll" />\n  </Package>\n')
    for number in range(count):
        out.write(f'  <Fragment>\n    <ComponentGroup Id="Group{number}" Directory="INSTALLFOLDER">\n')
        first = number * components_per_fragment
        for index in range(first, first + components_per_fragment):
            out.write(component(index, indent=6))
        out.write('    </ComponentGroup>\n')
        name = f"Action{number}"
        out.write(f"    {custom_action(name, 'immediate')}\n")
        out.write(f"    <InstallExecuteSequence>\n      {custom_row(name, 'After', f'Missing{number}', rng)}\n"
                  "    </InstallExecuteSequence>\n  </Fragment>\n")
    out.write('</Wix>\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="kind", required=True)
    sized = commands.add_parser("package")
    sized.add_argument("out")
    sized.add_argument("--megabytes", type=float, help="size the file to about this many MiB")
    sized.add_argument("--components", type=int, default=200_000)
    sized.add_argument("--actions", type=int, help="default: components / 40")
    chained = commands.add_parser("chain")
    chained.add_argument("out")
    chained.add_argument("--actions", type=int, default=100_000)
    fragments = commands.add_parser("project")
    fragments.add_argument("out")
    fragments.add_argument("--files", type=int, default=2_000)
    failing = commands.add_parser("diagnostics")
    failing.add_argument("out")
    failing.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    if args.kind == "project":
        project(args.out, args.files)
        return
    with open(args.out, "w", encoding="utf-8") as out:
        if args.kind == "package":
            components = args.components
            if args.megabytes is not None:
                components = max(1, round(args.megabytes * COMPONENTS_PER_MEBIBYTE))
            actions = args.actions if args.actions is not None else components // COMPONENTS_PER_ACTION
            package(out, components, actions)
        elif args.kind == "chain":
            chain(out, args.actions)
        else:
            diagnostics(out, args.count)


if __name__ == "__main__":
    main()
