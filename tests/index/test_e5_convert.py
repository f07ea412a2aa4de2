import struct

import numpy as np

from index.e5_convert import dequantize_q4_0


def test_dequantize_one_q4_0_block_by_hand():
    scale = np.float16(0.5)
    # nibble values 0..15 for the low halves, 15..0 for the high halves
    packed = bytes(((15 - i) << 4) | i for i in range(16))
    raw = struct.pack("<e", scale) + packed
    values = dequantize_q4_0(raw, 32)
    assert values[:16].tolist() == [(i - 8) * 0.5 for i in range(16)]
    assert values[16:].tolist() == [(15 - i - 8) * 0.5 for i in range(16)]
