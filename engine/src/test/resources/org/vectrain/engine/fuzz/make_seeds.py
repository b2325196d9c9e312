"""Writes the seed corpora of the fuzz tests (run from this folder; numpy needed).

The seeds are small, valid or nearly valid files of each format, including the hostile cases the
readers must refuse, so that mutations start close to every branch. Re-running rewrites them
byte for byte.
"""
import gzip
import io
import os
import pickle
import shutil
import tarfile

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PICKLES = os.path.join(ROOT, "..", "..", "..", "pickle")


def folder(*parts):
    path = os.path.join(ROOT, *parts)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def pixels(count):
    i = np.arange(count).reshape(-1, 1)
    j = np.arange(3072).reshape(1, -1)
    return ((31 * i + 7 * j) % 256).astype(np.uint8)


def npy_bytes(array, version=None):
    out = io.BytesIO()
    if version is None:
        np.save(out, array)
    else:
        np.lib.format.write_array(out, array, version=version)
    return out.getvalue()


def npy():
    d = folder("io", "NpyFuzzTestInputs", "decode")
    write(os.path.join(d, "f4-2x3.npy"), npy_bytes(np.arange(6, dtype="<f4").reshape(2, 3)))
    write(os.path.join(d, "f8-4.npy"), npy_bytes(np.array([1.5, -2, 1e300, np.nan], dtype="<f8")))
    write(os.path.join(d, "f4-scalar.npy"), npy_bytes(np.float32(3.25)))
    write(os.path.join(d, "f4-empty.npy"), npy_bytes(np.zeros((0,), dtype="<f4")))
    write(os.path.join(d, "f4-10x1.npy"), npy_bytes(np.ones((10, 1), dtype="<f4")))
    write(os.path.join(d, "v2-f4-2x2.npy"), npy_bytes(np.eye(2, dtype="<f4"), (2, 0)))
    write(os.path.join(d, "v3-f4-3.npy"), npy_bytes(np.ones(3, dtype="<f4"), (3, 0)))
    write(os.path.join(d, "fortran-3x1.npy"), npy_bytes(np.asfortranarray(np.ones((3, 1), dtype="<f4"))))
    write(os.path.join(d, "fortran-2x2.npy"), npy_bytes(np.asfortranarray(np.eye(2, dtype="<f4"))))
    write(os.path.join(d, "big-endian.npy"), npy_bytes(np.ones(2, dtype=">f4")))
    write(os.path.join(d, "int32.npy"), npy_bytes(np.ones(2, dtype="<i4")))
    # As NumPy wrote under Python 2: long integers with an L suffix.
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }"
    header += b" " * (64 - 10 - len(header) - 1) + b"\n"
    write(os.path.join(d, "py2-long-shape.npy"),
          b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + np.ones(2, "<f4").tobytes())


def binary():
    d = folder("data", "CifarBinaryReaderFuzzTestInputs", "read")
    for count in (1, 2):
        records = np.concatenate([np.arange(count, dtype=np.uint8).reshape(-1, 1) % 10, pixels(count)], axis=1)
        write(os.path.join(d, "records-%d.bin" % count), records.tobytes())
    bad = np.concatenate([np.array([[10]], dtype=np.uint8), pixels(1)], axis=1)
    write(os.path.join(d, "label-10.bin"), bad.tobytes())
    write(os.path.join(d, "pixels-only.bin"), pixels(1).tobytes())
    write(os.path.join(d, "empty.bin"), b"")


def batch(count, key=lambda k: k.encode()):
    return {key("batch_label"): key("fuzz batch"), key("labels"): [i % 10 for i in range(count)],
            key("data"): pixels(count), key("filenames"): [key("img%d.png" % i) for i in range(count)]}


def pickles():
    d = folder("data", "CifarPickleReaderFuzzTestInputs", "readBatch")
    for protocol in (2, 3, 4, 5):
        write(os.path.join(d, "one-image-p%d.pkl" % protocol), pickle.dumps(batch(1), protocol=protocol))
    write(os.path.join(d, "two-images-str-keys-p4.pkl"), pickle.dumps(batch(2, key=str), protocol=4))
    write(os.path.join(d, "meta-p4.pkl"), pickle.dumps({b"label_names": [b"airplane", b"cat"], b"num_vis": 3072},
                                                        protocol=4))
    write(os.path.join(d, "plain-values-p2.pkl"), pickle.dumps(
        [None, True, False, 0, -1, 2 ** 40, -(2 ** 63), "text", b"bytes", (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4),
         {1: "a"}, bytearray(b"ba")], protocol=2))
    shared = [1, 2]
    write(os.path.join(d, "memo-p5.pkl"), pickle.dumps({"a": shared, "b": shared, "c": [shared] * 3}, protocol=5))
    # The committed reader fixtures (made by pickle/make_fixtures.py), Python 2 and hostile ones included.
    for name in ("py2_protocol2.pkl", "py3_protocol2.pkl", "meta_py2.pkl", "hostile_os_system.pkl",
                 "hostile_builtins_eval.pkl", "fortran_order.pkl", "truncated.pkl"):
        shutil.copy(os.path.join(PICKLES, name), os.path.join(d, "fixture-" + name))
    # Code execution in its usual disguises: each must be refused before anything is built.
    write(os.path.join(d, "hostile-stack-global-eval.pkl"),
          b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x061+1\x85R.")
    write(os.path.join(d, "hostile-inst.pkl"), b"\x80\x02(S'ls'\nios\nsystem\n.")


def tar_bytes(build):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        build(tar)
    return out.getvalue()


def add(tar, name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def tarballs():
    d = folder("data", "TarballExtractorFuzzTestInputs", "extract")
    top = "cifar-10-batches-bin/"
    record = bytes([3]) + pixels(1).tobytes()

    def layout(tar):
        add(tar, top, kind=tarfile.DIRTYPE)
        for name in ("data_batch_1.bin", "test_batch.bin"):
            add(tar, top + name, record)
        add(tar, top + "batches.meta.txt", b"airplane\nautomobile\n")

    cases = {
        "layout.tar": layout,
        "dot-slash.tar": lambda t: (add(t, "./", kind=tarfile.DIRTYPE), add(t, "./" + top + "a.bin", b"x")),
        "nested.tar": lambda t: add(t, top + "sub/deeper/file", b"abc"),
        "dotdot.tar": lambda t: (add(t, top, kind=tarfile.DIRTYPE), add(t, top + "../evil", b"x")),
        "absolute.tar": lambda t: add(t, "/tmp/evil", b"x"),
        "outside-top.tar": lambda t: (add(t, top + "a", b"x"), add(t, "other/b", b"y")),
        "symlink.tar": lambda t: (add(t, top, kind=tarfile.DIRTYPE), add(t, top + "l", kind=tarfile.SYMTYPE,
                                                                         link="/etc/passwd")),
        "hardlink.tar": lambda t: (add(t, top + "a", b"x"), add(t, top + "h", kind=tarfile.LNKTYPE, link=top + "a")),
        "device.tar": lambda t: add(t, top + "dev", kind=tarfile.CHRTYPE),
        "fifo.tar": lambda t: add(t, top + "fifo", kind=tarfile.FIFOTYPE),
        "duplicate.tar": lambda t: (add(t, top + "a", b"x"), add(t, top + "a", b"y")),
        "long-name.tar": lambda t: add(t, top + "n" * 300, b"x"),
        "top-file.tar": lambda t: add(t, "lonely", b"x"),
    }
    for name, build in cases.items():
        write(os.path.join(d, name), tar_bytes(build))
    write(os.path.join(d, "layout.tar.gz"), gzip.compress(tar_bytes(layout), mtime=0))


def binary_files():
    # The file-level target reads with a limit of 2 records, so the three-record file crosses it.
    d = folder("data", "CifarBinaryReaderFuzzTestInputs", "readFile")
    for count in (1, 2, 3):
        records = np.concatenate([np.arange(count, dtype=np.uint8).reshape(-1, 1) % 10, pixels(count)], axis=1)
        write(os.path.join(d, "records-%d.bin" % count), records.tobytes())
    write(os.path.join(d, "pixels-only.bin"), pixels(1).tobytes())


NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def meta_files():
    d = folder("data", "ClassNamesFuzzTestInputs", "metaText")
    write(os.path.join(d, "official.txt"), ("\n".join(NAMES) + "\n\n").encode())
    write(os.path.join(d, "crlf.txt"), "\r\n".join(NAMES).encode())
    write(os.path.join(d, "nine.txt"), "\n".join(NAMES[:9]).encode())
    write(os.path.join(d, "latin1.txt"), ("\n".join(NAMES[:9]) + "\ncaf\xe9").encode("latin-1"))
    write(os.path.join(d, "long-name.txt"), ("\n".join(NAMES[:9]) + "\n" + "x" * 65).encode())
    d = folder("data", "CifarPickleReaderFuzzTestInputs", "readLabelNames")
    for name in ("meta_py2.pkl", "meta_protocol4.pkl"):
        shutil.copy(os.path.join(PICKLES, name), os.path.join(d, name))
    write(os.path.join(d, "str-keys-p4.pkl"), pickle.dumps({"label_names": NAMES, "num_vis": 3072}, protocol=4))
    write(os.path.join(d, "two-names-p2.pkl"), pickle.dumps({b"label_names": [b"a", b"b"]}, protocol=2))
    write(os.path.join(d, "not-a-list-p2.pkl"), pickle.dumps({b"label_names": b"airplane"}, protocol=2))


def summary(epochs, diverge_at=None):
    history = []
    for e in range(1, epochs + 1):
        bad = diverge_at is not None and e >= diverge_at
        figure = lambda v: "NaN" if bad else v
        history.append({"epoch": e, "eta": 0.001,
                        "train": {"loss": figure(2.0 / e), "cost": figure(2.1 / e), "accuracy": 0.3 + 0.01 * e},
                        "val": {"loss": figure(2.05 / e), "cost": "Infinity" if bad else 2.15 / e,
                                "accuracy": 0.29 + 0.01 * e},
                        "train_ms": 12.5, "eval_ms": 3.25})
    return {"format": 1, "config": {"label": "λ=0, n_batch=100, η=0.001, %d epochs" % epochs, "seed": 42},
            "history": history, "status": "diverged" if diverge_at else "completed",
            "environment": {"vector_species": "Vector API, 256-bit (8 float lanes)"}}


def summaries():
    import json
    d = folder("compare", "RunRecordFuzzTestInputs", "read")
    write(os.path.join(d, "two-epochs.json"), json.dumps(summary(2), indent=2, ensure_ascii=False).encode())
    write(os.path.join(d, "diverged.json"), json.dumps(summary(3, diverge_at=2), indent=2).encode())
    write(os.path.join(d, "format-2.json"), json.dumps(dict(summary(1), format=2)).encode())
    write(os.path.join(d, "empty-object.json"), b"{}")


def http(status, headers, body):
    head = "HTTP/1.1 %s\r\n" % status + "".join("%s: %s\r\n" % h for h in headers) + "\r\n"
    return head.encode() + body


def responses():
    # The body the target's md5 expects; see DownloaderFuzzTest.
    body = b"vectrain download fuzz body\n"
    d = folder("data", "DownloaderFuzzTestInputs", "respond")
    n = str(len(body))
    write(os.path.join(d, "ok.http"), http("200 OK", [("Content-Length", n)], body))
    write(os.path.join(d, "ok-ranges.http"), http("200 OK", [("Content-Length", n), ("Accept-Ranges", "bytes")], body))
    write(os.path.join(d, "close-delimited.http"), http("200 OK", [("Connection", "close")], body))
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    write(os.path.join(d, "chunked.http"), http("200 OK", [("Transfer-Encoding", "chunked")], chunked))
    write(os.path.join(d, "cut.http"), http("200 OK", [("Content-Length", "1000"), ("Accept-Ranges", "bytes")], body))
    write(os.path.join(d, "partial.http"), http("206 Partial Content", [("Content-Range", "bytes 0-%d/%s" % (
        len(body) - 1, n)), ("Content-Length", n)], body))
    write(os.path.join(d, "wrong-md5.http"), http("200 OK", [("Content-Length", "4")], b"evil"))
    write(os.path.join(d, "not-found.http"), http("404 Not Found", [("Content-Length", "0")], b""))
    write(os.path.join(d, "range.http"), http("416 Range Not Satisfiable", [("Content-Length", "0")], b""))
    write(os.path.join(d, "server-error.http"), http("500 Internal Server Error", [("Content-Length", "0")], b""))
    write(os.path.join(d, "redirect.http"), http("302 Found", [("Location", "/other/x.tar.gz"),
                                                                ("Content-Length", "0")], b""))


def flag_values():
    d = folder("train", "HyperSearchFuzzTestInputs", "values")
    for i, text in enumerate(["0.1", "0.001..0.1", "0.001..0.1:5", "1,2,3", "1e-300..1e300:10000", "10, 100 ,200",
                              "0.1..0.01", "NaN..1", "1..Infinity:2", "..", ":", "1..2:0", "0x1p-3,1e3"]):
        write(os.path.join(d, "value-%02d.txt" % i), text.encode())


def gzip_bombs():
    # Compressed archives whose decompressed headers or contents are far larger than the file.
    d = folder("data", "TarballExtractorFuzzTestInputs", "extractGzip")
    shutil.copy(os.path.join(ROOT, "data", "TarballExtractorFuzzTestInputs", "extract", "layout.tar.gz"),
                os.path.join(d, "layout.tar.gz"))

    def header(name, kind, size):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.size = size
        info.mtime = 0
        return info.tobuf(format=tarfile.GNU_FORMAT)

    zeros = bytes(1 << 20)
    write(os.path.join(d, "long-name-3g.tar.gz"),
          gzip.compress(header("././@LongLink", tarfile.GNUTYPE_LONGNAME, 3 << 30) + zeros, mtime=0))
    write(os.path.join(d, "pax-1g.tar.gz"),
          gzip.compress(header("cifar-10-batches-bin/PaxHeaders/x", tarfile.XHDTYPE, 1 << 30) + zeros, mtime=0))
    write(os.path.join(d, "file-2g.tar.gz"),
          gzip.compress(header("cifar-10-batches-bin/data_batch_1.bin", tarfile.REGTYPE, 2 << 30) + zeros, mtime=0))
    write(os.path.join(d, "zeros-8m.gz"), gzip.compress(bytes(8 << 20), mtime=0))
    two = gzip.compress(tar_bytes(lambda t: add(t, "cifar-10-batches-bin/a", b"x"))[:1024], mtime=0)
    write(os.path.join(d, "two-members.tar.gz"), two + gzip.compress(bytes(1 << 16), mtime=0))


npy()
binary()
pickles()
tarballs()
binary_files()
meta_files()
summaries()
responses()
flag_values()
gzip_bombs()
