"""backend.stack: a call through `with_headroom` is the same call, from a very large frame."""

from backend.stack import with_headroom


def test_it_is_a_plain_call():
    assert with_headroom(divmod, 17, 5) == (3, 2)
    assert with_headroom(dict, a=1) == {"a": 1}


def test_its_frame_reserves_room_beyond_a_first_stack_chunk():
    # 16 KB chunks hold 2,048 slots; this frame needs four times that.
    assert with_headroom.__code__.co_nlocals >= 8192
