"""A real SMTP server for the black-box tests (aiosmtpd), storing what it receives.

Every accepted message becomes <dir>/<n>.json: envelope, headers, the decoded text and HTML
parts, and the content types of all parts. Behaviour is steered by <dir>/control.json, read per
message, so a test can change it while the server runs:

  {"tijdelijk": 2}                 answer the next 2 messages with 451 (then accept)
  {"permanent_voor": "weiger"}     answer 550 to recipients containing "weiger"
  {"vertraging_ms": 50}            wait before accepting (slow server)

Usage: python sink.py --port 2525 --dir /tmp/mail
"""

import argparse
import asyncio
import json
import os
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.tijdelijk_gegeven = 0

    def control(self):
        try:
            with open(os.path.join(self.directory, "control.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        weiger = self.control().get("permanent_voor")
        if weiger and weiger in address:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        control = self.control()
        if self.tijdelijk_gegeven < int(control.get("tijdelijk", 0)):
            self.tijdelijk_gegeven += 1
            return "451 4.3.0 temporarily unavailable, try again later"
        delay = int(control.get("vertraging_ms", 0))
        if delay:
            await asyncio.sleep(delay / 1000)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k.lower(): str(v) for k, v in msg.items()},
            "content_types": [part.get_content_type() for part in msg.walk()],
            "text": None,
            "html": None,
            "attachments": [],
            "raw": envelope.content.decode("utf-8", "replace"),
        }
        for part in msg.walk():
            if part.is_multipart():
                continue
            if part.get_content_disposition() == "attachment":
                record["attachments"].append(
                    {"filename": part.get_filename(), "content_type": part.get_content_type()}
                )
            elif part.get_content_type() == "text/plain" and record["text"] is None:
                record["text"] = part.get_content()
            elif part.get_content_type() == "text/html" and record["html"] is None:
                record["html"] = part.get_content()
        self.count += 1
        path = os.path.join(self.directory, f"{self.count:06d}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir)
    # Numbering continues after a restart on the same folder.
    sink.count = len([n for n in os.listdir(args.dir) if n.endswith(".json") and n[0].isdigit()])
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    print("klaar", flush=True)
    try:
        for _ in sys.stdin:
            pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
