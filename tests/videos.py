"""Small videos made for tests with the same library the build uses (PyAV), so that the repository holds none:
a moving pattern (so that an encoder has something to spend bits on) and a tone, any size and length."""

from __future__ import annotations

import math
import struct
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from PIL import Image, ImageDraw


def make_video(path: Path, seconds: float = 2.0, width: int = 640, height: int = 360, fps: int = 25,
               audio: bool = True, bit_rate: int = 2_000_000, seed: int = 0, codec: str = "libx264") -> Path:
    """An MP4 (H.264 + AAC) or, for a .webm path, VP9 + Opus: ``seconds`` long, moving stripes and a square
    whose colour changes each second (a poster taken at a time shows which second it is)."""
    webm = path.suffix == ".webm"
    with av.open(str(path), "w", options={"fflags": "+bitexact"}) as container:
        video = container.add_stream("libvpx-vp9" if webm else codec, rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = bit_rate
        video.options = {"threads": "1", "deadline": "realtime", "cpu-used": "8"} if webm else {"threads": "1"}
        sound = None
        if audio:
            sound = container.add_stream("libopus" if webm else "aac", rate=48000)
            sound.layout = "mono"
        for index in range(round(seconds * fps)):
            second = index // fps
            # ``seed`` tints the ground: films alike but for it are other files (the build makes each once).
            picture = Image.new("RGB", (width, height), ((30 + seed * 37) % 256, 30, (second * 70) % 256))
            draw = ImageDraw.Draw(picture)
            for x in range(-height, width, 32):
                draw.line([(x + index * 4, 0), (x + index * 4 + height, height)], fill=(200, 120, 40), width=8)
            size = min(width, height) // 3
            left = (index * 5) % max(1, width - size)
            draw.rectangle([left, height // 3, left + size, height // 3 + size], fill=((second * 90) % 256, 255, 255))
            frame = av.VideoFrame.from_image(picture)  # type: ignore[no-untyped-call]  # PyAV 18 leaves it untyped
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            _tone(container, sound, seconds, 440)
    return path


def make_audio(path: Path, seconds: float, hertz: int = 330) -> Path:
    """An Ogg Opus file of a tone, ``seconds`` long: a recorded description as an author would give one."""
    with av.open(str(path), "w") as container:
        sound = container.add_stream("libopus", rate=48000)
        sound.layout = "mono"
        _tone(container, sound, seconds, hertz)
    return path


def _tone(container: Any, sound: Any, seconds: float, hertz: int) -> None:
    samples, step = round(seconds * 48000), 960
    for start in range(0, samples, step):
        count = min(step, samples - start)
        chunk = av.AudioFrame(format="s16", layout="mono", samples=count)
        chunk.planes[0].update(struct.pack(f"<{count}h", *(
            int(6000 * math.sin(2 * math.pi * hertz * (start + i) / 48000)) for i in range(count))))
        chunk.sample_rate = 48000
        chunk.pts = start
        chunk.time_base = Fraction(1, 48000)
        for packet in sound.encode(chunk):
            container.mux(packet)
    for packet in sound.encode():
        container.mux(packet)
