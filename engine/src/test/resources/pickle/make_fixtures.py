#!/usr/bin/env python3
"""Writes the pickle fixtures for the restricted reader's tests into this folder.

Run once with Python 3 and numpy 2.x; the outputs are committed next to this script:
    python3 make_fixtures.py

Every batch holds IMAGES images whose pixel j of image i is (31 * i + 7 * j) % 256 and whose labels
are LABELS; the Java tests compute the same values. Files:

  py2_protocol2.pkl        a batch as Python 2 cPickle wrote the official files, emitted byte by byte
                           here (SHORT_BINSTRING/BINSTRING, GLOBAL numpy.core.multiarray _reconstruct)
  py3_protocol{2,3,4,5}.pkl  pickle.dump of the same dict (protocol 2 writes bytes through
                           _codecs.encode, 3 and 4 as BINBYTES, 5 through numpy's _frombuffer)
  py3_str_keys_protocol4.pkl the dict with text keys, as a Python 3 re-pickle may have them
  meta_py2.pkl, meta_protocol4.pkl  batches.meta with label_names, hand-emitted and dumped
  hostile and broken files, each named for what is wrong with it (see HOSTILE below)
"""
import os
import pickle
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = 3
PIXELS = 3072
LABELS = [6, 9, 1]
FILENAMES = [b'leptodactylus_pentadactylus_s_000004.png', b'camion_s_000148.png', b'tipper_truck_s_001250.png']
NAMES = [b'airplane', b'automobile', b'bird', b'cat', b'deer', b'dog', b'frog', b'horse', b'ship', b'truck']


def pixels(shape=(IMAGES, PIXELS), dtype=np.uint8):
    i = np.arange(shape[0]).reshape(-1, 1)
    j = np.arange(int(np.prod(shape[1:]))).reshape(1, -1)
    return ((31 * i + 7 * j) % 256).astype(dtype).reshape(shape)


def batch(data=None, labels=None, keys_as_text=False):
    d = {
        b'batch_label': b'training batch 1 of 5',
        b'labels': list(LABELS if labels is None else labels),
        b'data': pixels() if data is None else data,
        b'filenames': list(FILENAMES),
    }
    return {k.decode(): v for k, v in d.items()} if keys_as_text else d


class Py2Emitter:
    """Emits protocol 2 the way Python 2's cPickle did: byte strings as SHORT_BINSTRING/BINSTRING,
    memo indices from 1 with BINPUT and LONG_BINPUT, lists and dicts filled in batches of 1000."""

    def __init__(self):
        self.out = bytearray(b'\x80\x02')
        self.memo = 1

    def put(self):
        i = self.memo
        self.memo += 1
        self.out += b'q' + bytes([i]) if i < 256 else b'r' + struct.pack('<I', i)

    def string(self, s):
        if len(s) < 256:
            self.out += b'U' + bytes([len(s)]) + s
        else:
            self.out += b'T' + struct.pack('<i', len(s)) + s
        if len(s) > 1:
            self.put()

    def integer(self, v):
        if 0 <= v < 256:
            self.out += b'K' + bytes([v])
        elif 0 <= v < 65536:
            self.out += b'M' + struct.pack('<H', v)
        else:
            self.out += b'J' + struct.pack('<i', v)

    def global_(self, module, name):
        self.out += b'c' + module + b'\n' + name + b'\n'
        self.put()

    def value(self, v):
        if isinstance(v, bytes):
            self.string(v)
        elif isinstance(v, int):
            self.integer(v)
        elif isinstance(v, list):
            self.out += b']'
            self.put()
            for start in range(0, len(v), 1000):
                self.out += b'('
                for item in v[start:start + 1000]:
                    self.value(item)
                self.out += b'e'
        elif isinstance(v, np.ndarray):
            self.array(v)
        else:
            raise TypeError(type(v))

    def array(self, a):
        assert a.dtype == np.uint8 and a.flags.c_contiguous
        self.global_(b'numpy.core.multiarray', b'_reconstruct')
        self.global_(b'numpy', b'ndarray')
        self.integer(0)
        self.out += b'\x85'  # TUPLE1: the placeholder shape (0,)
        self.string(b'b')
        self.out += b'\x87R'  # TUPLE3, REDUCE: _reconstruct(ndarray, (0,), 'b')
        self.put()
        self.out += b'('
        self.integer(1)  # state version
        for dim in a.shape:
            self.integer(dim)
        self.out += b'\x86'  # TUPLE2: the shape
        self.global_(b'numpy', b'dtype')
        self.string(b'u1')
        self.integer(0)
        self.integer(1)
        self.out += b'\x87R'  # dtype('u1', 0, 1)
        self.put()
        self.out += b'('
        self.integer(3)
        self.string(b'|')
        self.out += b'NNN' + b'J\xff\xff\xff\xff' * 2
        self.integer(0)
        self.out += b'tb'  # TUPLE, BUILD: the dtype's state
        self.out += b'\x89'  # NEWFALSE: not Fortran order
        self.string(a.tobytes())
        self.out += b'tb'  # TUPLE, BUILD: the array's state

    def dict_(self, d):
        self.out += b'}'
        self.put()
        self.out += b'('
        for k, v in d.items():
            self.value(k)
            self.value(v)
        self.out += b'u.'
        return bytes(self.out)


class Call:
    """Pickles as a call of fn(*args): how a hostile file smuggles in a function."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def write(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


def main():
    if not np.__version__.startswith('2.'):
        sys.exit('numpy 2.x expected, found ' + np.__version__)
    write('py2_protocol2.pkl', Py2Emitter().dict_(batch()))
    for protocol in (2, 3, 4, 5):
        write('py3_protocol%d.pkl' % protocol, pickle.dumps(batch(), protocol=protocol))
    write('py3_str_keys_protocol4.pkl', pickle.dumps(batch(keys_as_text=True), protocol=4))
    meta = {b'num_cases_per_batch': 10000, b'label_names': list(NAMES), b'num_vis': PIXELS}
    write('meta_py2.pkl', Py2Emitter().dict_(meta))
    write('meta_protocol4.pkl', pickle.dumps(meta, protocol=4))

    # HOSTILE: files the reader must refuse, each with the reason in its name.
    write('hostile_os_system.pkl', b'\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02R.')
    write('hostile_posix_system_in_batch.pkl',
          pickle.dumps({**batch(), b'x': Call(os.system, 'echo pwned')}, protocol=2))
    write('hostile_builtins_eval.pkl', pickle.dumps(Call(eval, '1+1'), protocol=4))
    write('wrong_dtype.pkl', pickle.dumps(batch(data=pixels(dtype=np.float32)), protocol=4))
    write('wrong_shape.pkl', pickle.dumps(batch(data=pixels(shape=(IMAGES, 32, 32, 3))), protocol=4))
    write('fortran_order.pkl', pickle.dumps(batch(data=np.asfortranarray(pixels())), protocol=2))
    write('label_10.pkl', pickle.dumps(batch(labels=[6, 10, 1]), protocol=4))
    write('too_few_labels.pkl', pickle.dumps(batch(labels=[6, 9]), protocol=4))
    whole = pickle.dumps(batch(), protocol=4)
    write('truncated.pkl', whole[:len(whole) // 2])
    write('not_a_pickle.txt', b'this is a text file, not a pickle\n')


if __name__ == '__main__':
    main()
