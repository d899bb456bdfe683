#!/usr/bin/python3
"""A Modbus TCP device simulator for GreenLoop's tests and benchmark, built on Debian's python3-pymodbus (3.0.x).

pymodbus is an implementation of the protocol independent of GreenLoop's own client, so a test that reads known
register contents through it checks our framing and decoding against someone else's.

Usage:
    /usr/bin/python3 scripts/modbus-sim.py --port 0 --registers '{"holding": {"100": [17142, 59769]}}'
    /usr/bin/python3 scripts/modbus-sim.py --port 5020 --registers-file contents.json

Register contents (JSON): four tables, "coils", "discrete", "holding", "input". Each maps a start address to a list
of values written from that address on: 16-bit unsigned words (0..65535) for holding/input, 0/1 for coils/discrete.
Addresses are the 0-based addresses of the Modbus PDU (what goes on the wire), never Modicon "40001" numbers.
"size" gives each table's extent (default 1000): a read that reaches past it is answered with exception 02
(illegal data address). Example:
    {"size": {"holding": 200}, "holding": {"0": [1, 2, 3]}, "coils": {"10": [1, 0, 1]}}

Once listening, one line is printed on stdout: "listening 127.0.0.1 <port>". Commands on stdin, one per line, each
answered by one line on stdout ("ok ..." or "error ..."), the answer written after the change is in effect:
    set <table> <address> <value> [<value> ...]    e.g. "set holding 100 65535 65535"
    get <table> <address> <count>                  answers "ok <value> <value> ..."
    quit
End of stdin stops the simulator too, so it never outlives the process that started it.
"""

import argparse
import asyncio
import json
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer

TABLES = {"coils": "co", "discrete": "di", "holding": "hr", "input": "ir"}
# pymodbus's function-code keys for getValues/setValues on a slave context.
FUNCTION_OF = {"coils": 1, "discrete": 2, "holding": 3, "input": 4}
DEFAULT_SIZE = 1000


def build_context(contents):
    sizes = contents.get("size", {})
    blocks = {}
    for table, key in TABLES.items():
        size = int(sizes.get(table, DEFAULT_SIZE))
        if not 1 <= size <= 65536:
            raise ValueError(f"size.{table} must be 1..65536, not {size}")
        values = [0] * size
        for start, words in contents.get(table, {}).items():
            address = int(start)
            for i, word in enumerate(words):
                check_value(table, address + i, word, size)
                values[address + i] = int(word)
        blocks[key] = ModbusSequentialDataBlock(0, values)
    # zero_mode: PDU address N is index N of the block (pymodbus otherwise adds 1).
    slave = ModbusSlaveContext(zero_mode=True, **blocks)
    return ModbusServerContext(slaves=slave, single=True), slave


def check_value(table, address, value, size):
    if not 0 <= address < size:
        raise ValueError(f"{table} address {address} is outside the table (size {size})")
    limit = 1 if table in ("coils", "discrete") else 65535
    if not isinstance(value, int) or not 0 <= value <= limit:
        raise ValueError(f"{table}[{address}] = {value!r}: must be an integer 0..{limit}")


def reply(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_command(slave, line, sizes):
    parts = line.split()
    if not parts:
        return None
    if parts[0] == "quit":
        return "quit"
    if parts[0] not in ("set", "get") or len(parts) < 4 or parts[1] not in TABLES:
        return "error usage: set <table> <address> <value>... | get <table> <address> <count> | quit"
    table = parts[1]
    try:
        numbers = [int(p, 0) for p in parts[2:]]
    except ValueError:
        return "error numbers expected"
    address = numbers[0]
    size = sizes[table]
    if parts[0] == "get":
        count = numbers[1]
        if not (0 <= address and address + count <= size):
            return f"error {table} {address}+{count} is outside the table (size {size})"
        values = slave.getValues(FUNCTION_OF[table], address, count)
        return "ok " + " ".join(str(int(v)) for v in values)
    values = numbers[1:]
    try:
        for i, value in enumerate(values):
            check_value(table, address + i, value, size)
    except ValueError as exc:
        return f"error {exc}"
    slave.setValues(FUNCTION_OF[table], address, values)
    return f"ok set {table} {address} x{len(values)}"


def read_stdin(loop, slave, sizes, stop):
    """Runs on a thread: each command is applied on the event loop, then answered."""
    for raw in sys.stdin:
        done = threading.Event()
        result = {}

        def apply(line=raw.strip()):
            try:
                result["answer"] = run_command(slave, line, sizes)
            finally:
                done.set()

        loop.call_soon_threadsafe(apply)
        done.wait()
        answer = result.get("answer")
        if answer == "quit":
            break
        if answer is not None:
            reply(answer)
    loop.call_soon_threadsafe(stop.set)


async def main():
    parser = argparse.ArgumentParser(description="Modbus TCP device simulator (pymodbus) on 127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1; 0 picks a free one")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--registers", help="register contents as a JSON text")
    group.add_argument("--registers-file", help="register contents as a JSON file")
    parser.add_argument("--verbose", action="store_true", help="log pymodbus's own messages on stderr")
    args = parser.parse_args()

    if args.registers_file:
        with open(args.registers_file, encoding="utf-8") as f:
            contents = json.load(f)
    else:
        contents = json.loads(args.registers or "{}")
    context, slave = build_context(contents)
    sizes = {t: int(contents.get("size", {}).get(t, DEFAULT_SIZE)) for t in TABLES}

    # pymodbus configures the root logger on import (warnings and up on stderr, one line per exception response).
    logging.getLogger().setLevel(logging.INFO if args.verbose else logging.CRITICAL)
    server = await StartAsyncTcpServer(context=context, address=("127.0.0.1", args.port), defer_start=True)
    serving = asyncio.create_task(server.serve_forever())
    await server.serving
    port = server.server.sockets[0].getsockname()[1]
    reply(f"listening 127.0.0.1 {port}")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(target=read_stdin, args=(loop, slave, sizes, stop), daemon=True).start()
    await stop.wait()
    await server.server_close()
    serving.cancel()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
