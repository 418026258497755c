"""When the archive cannot be written the recorder says so in one line and stops (exit 4) instead of
proxying unrecorded traffic: its folder removed while it runs, or a full disk (a small tmpfs)."""
import os
import shutil
import subprocess
import time
import uuid

import pytest

from record_support import BIN, StreamClient, curl


def start(upstream, archive, cwd):
    p = subprocess.Popen([str(BIN), "record", "--listen", "127.0.0.1:0", "--json", "--upstream", upstream.url,
                          "--archive", str(archive)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    import json
    first = p.stdout.readline()
    assert first, p.stderr.read()
    return p, json.loads(first)["listen"]


def stopped(p, timeout=10):
    """(exit code, stderr lines) once the recorder exits by itself (killed if it does not, failing the test)."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        pytest.fail("the recorder kept running after its archive failed")
    err = p.stderr.read().decode()
    p.stdout.close(); p.stderr.close()
    return p.returncode, err


def assert_stopped_for_the_archive(p, url):
    code, err = stopped(p)
    assert code == 4, err
    fatal = [l for l in err.splitlines() if l.startswith("streamtape: ")]
    assert len(fatal) == 1 and "the archive cannot be written" in fatal[0], err
    assert curl(url + "/status/200").returncode != 0, "nothing is proxied any more"
    print(fatal[0])
    return fatal[0]


def test_removing_the_archive_folder_while_running_stops_the_recorder(upstream, tmp_path):
    folder = tmp_path / "captures"
    folder.mkdir()                               # a folder named by --archive must exist (issue 9 item 25)
    p, url = start(upstream, folder / "a.sqlite", tmp_path)
    try:
        assert curl(url + "/status/200").returncode == 0, "recorded normally first"
        shutil.rmtree(folder)
        curl(url + "/sse?file=01-openai-chat-text&chunk=500")
        line = assert_stopped_for_the_archive(p, url)
        assert "removed or renamed" in line
    finally:
        if p.poll() is None:
            p.kill(); p.wait()


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs (needs mount rights; skipped, and said so, where the test cannot mount one)."""
    mnt = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    out = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mnt)], capture_output=True)
    if out.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here: " + out.stderr.decode().strip())
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_full_disk_stops_the_recorder_mid_stream(upstream, small_disk, tmp_path):
    p, url = start(upstream, small_disk / "a.sqlite", tmp_path)
    try:
        c = StreamClient(url, "/flood?mb=8")
        line = assert_stopped_for_the_archive(p, url)
        assert "full" in line.lower(), line
        c.join(timeout=10)
        got = len(c.raw())
        c.close()
        assert got < 4 << 20, f"the client did not get the stream unrecorded ({got} bytes)"
    finally:
        if p.poll() is None:
            p.kill(); p.wait()
