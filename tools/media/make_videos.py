"""Makes the demonstration videos of the reference courses and their posters, with PyAV (a dependency of
mooc-builder: nothing else to install).

Each video is a coloured background with two shapes that move for the first seconds and then stay still,
as long as the duration its sequence announces (so that the length read from the file agrees with it) and yet
a few dozen KB: 320x180, 10 fps, H.264 constrained baseline level 3.0, yuv420p, a key frame a minute (a still
picture costs almost nothing between them), a silent mono AAC track at 8 kHz, moov first. Its poster is the
frame at 2 s, a small JPEG.

    .venv/bin/python tools/media/make_videos.py            # from the repository root
    .venv/bin/python tools/media/make_videos.py OUT.mp4 SECONDS   # one placeholder (tests' fixture)
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
FPS = 10
MOVING = 5.0  # seconds during which the shapes move


def _rgb(value: int) -> Colour:
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def make_video(out: Path, seconds: float, background: int, first: int, second: int,
               size: tuple[int, int] = (320, 180)) -> None:
    width, height = size
    with av.open(str(out), "w", options={"movflags": "+faststart", "fflags": "+bitexact"}) as container:
        container.metadata.clear()
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"crf": "38", "profile": "baseline", "level": "3.0", "threads": "1",
                         "x264-params": f"keyint={60 * FPS}:min-keyint={60 * FPS}:scenecut=0"}
        sound = container.add_stream("aac", rate=8000)
        sound.layout, sound.bit_rate = "mono", 8000
        scale = width / 320
        for index in range(round(seconds * FPS)):
            t = min(index / FPS, MOVING)
            picture = Image.new("RGB", size, _rgb(background))
            draw = ImageDraw.Draw(picture)
            x, y = (t * 70) % 272 * scale, (66 + 40 * math.sin(t * 2)) * scale
            draw.rectangle([x, y, x + 47 * scale, y + 47 * scale], fill=_rgb(first))
            x = (260 - (t * 40) % 240) * scale
            draw.rectangle([x, 42 * scale, x + 23 * scale, 137 * scale], fill=_rgb(second))
            frame = av.VideoFrame.from_image(picture)
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        total = round(seconds * 8000)
        for start in range(0, total, 1024):
            count = min(1024, total - start)
            silence = av.AudioFrame(format="s16", layout="mono", samples=count)
            for plane in silence.planes:
                plane.update(bytes(plane.buffer_size))
            silence.sample_rate, silence.pts, silence.time_base = 8000, start, Fraction(1, 8000)
            for packet in sound.encode(silence):
                container.mux(packet)
        for packet in sound.encode():
            container.mux(packet)


def make_poster(video: Path, out: Path, at: float = 2.0) -> None:
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= at:
                frame.to_image().save(out, "JPEG", quality=40, optimize=True)
                return


# (course, video, announced duration, background, shape 1, shape 2): the durations are those of the
# sequences' front matter.
VIDEOS = [
    ("energie-habitants", "facture", "3:30", 0x1f5f8b, 0xf2b134, 0xffffff),
    ("energie-habitants", "thermostat", "2:45", 0xc8553d, 0xfff3e0, 0x2e4057),
    ("energie-habitants", "ventilation", "3:10", 0x2a9d8f, 0xe9f5f2, 0x264653),
    ("energie-proximite", "temoignage-gardienne", "5:20", 0x6a4c93, 0xffca3a, 0xffffff),
    ("energie-proximite", "atelier", "4:40", 0x1982c4, 0x8ac926, 0xffffff),
    ("energie-maitrise-ouvrage", "diagnostic", "6:15", 0x33415c, 0xef476f, 0xffd166),
    ("energie-maitrise-ouvrage", "chaufferie", "5:30", 0x9d0208, 0xffba08, 0xfaa307),
    ("energie-maitrise-ouvrage", "chantier", "4:50", 0x495057, 0xfcbf49, 0xf77f00),
    ("accession-propriete", "budget", "4:00", 0x386641, 0xf2e8cf, 0xbc4749),
    ("accession-propriete", "vente-hlm", "3:45", 0x3d405b, 0xf4f1de, 0xe07a5f),
]


def _seconds(clock: str) -> int:
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)


def main(arguments: list[str]) -> None:
    if arguments:
        make_video(Path(arguments[0]), float(arguments[1]), 0x1f5f8b, 0xf2b134, 0xffffff, (160, 90))
        return
    for course, name, clock, background, first, second in VIDEOS:
        folder = Path("content/courses") / course / "media"
        make_video(folder / f"{name}.mp4", _seconds(clock), background, first, second)
        make_poster(folder / f"{name}.mp4", folder / f"{name}.jpg")
        print(folder / f"{name}.mp4", (folder / f"{name}.mp4").stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1:])
