"""Runs a command in a real pseudo-terminal and answers its prompts.

usage: pty-drive.py <cwd> <json command> <json steps>
steps: [[regex to wait for in the new output, text to type], ...]
Prints the whole transcript to stdout and exits with the command's exit code (128+N for signal N).
"""
import fcntl, json, os, pty, re, select, struct, sys, termios, time

cwd, command, steps = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
env = {k: v for k, v in os.environ.items() if k != "CI"}
env.update(TERM="xterm-256color")

pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.execvpe(command[0], command, env)
# A fresh pty is 0 columns wide, which makes prompt libraries wrap after every character.
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))

transcript = b""


def read_some(timeout):
    global transcript
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return None
    if not chunk:
        return None
    transcript += chunk
    return True


def plain(data):
    return re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", data).decode("utf8", "replace")


seen = 0
for pattern, answer in steps:
    deadline = time.time() + 60
    while not re.search(pattern, plain(transcript[seen:])):
        if time.time() > deadline or read_some(0.5) is None:
            sys.stdout.write(plain(transcript))
            sys.stderr.write("pty-drive: never saw %r\n" % pattern)
            os.kill(pid, 9)
            sys.exit(99)
    seen = len(transcript)
    time.sleep(0.2)
    os.write(fd, answer.encode())

deadline = time.time() + 120
while time.time() < deadline and read_some(0.5) is not None:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(plain(transcript))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
