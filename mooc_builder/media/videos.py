"""An author's video read and remade with PyAV (FFmpeg's libraries, in the wheel): its length and picture size
read at check time, with one frame decoded so that a file that cannot be played is an error then, not a
black player later; a light variant (H.264 + AAC in MP4, the widest support, small enough for a 3G phone);
a poster from a frame.

Every file made here is the same bytes from the same source and settings (one encoding thread, FFmpeg's
bit-exact flags, no date written), so that a store deleted and made again gives the same site.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mooc_builder.model import LightVideos

if TYPE_CHECKING:
    import av.container

# How many packets a probe reads, at most, looking for a first picture: a file that gives none in these is
# not one a browser would show either.
PROBE_PACKETS = 500
# The fastest frame rate a light variant keeps: 50 and 60 fps are halved.
MAX_FPS = 30


class Unreadable(Exception):
    """A file that is not a video the libraries can decode; its message says why, as FFmpeg put it."""


@dataclass(frozen=True)
class Probe:
    """What a video file holds: its length in seconds (None when neither the container nor the stream tells),
    its picture's size, its overall bit rate (bits per second, None when unknown), whether it has sound, and
    whether browsers play it as it is (its picture's codec one they all decode)."""

    seconds: float | None
    width: int
    height: int
    bit_rate: int | None
    audio: bool
    playable: bool = True


# The picture codecs every browser the sites aim at decodes: not HEVC (a phone's .mov), MPEG-4 part 2 or ProRes.
PLAYABLE = frozenset({"h264", "vp8", "vp9", "av1", "theora"})


def recipe(light: LightVideos) -> str:
    """What names a light variant made with ``light`` in the store (with its source's digest)."""
    return (f"light h264 main {light.height}p {light.video_kbps}k aac {light.audio_kbps}k fps<={MAX_FPS} "
            f"preset veryfast v1")


def light_size(light: LightVideos, width: int, height: int) -> tuple[int, int]:
    """The variant's picture size for a source of ``width`` x ``height``: never larger than the source, an even
    height and a width a multiple of 4 (4:2:0 halves both for the colours, which must stay whole)."""
    target = min(light.height, height)
    scaled = round(width * target / height / 4) * 4 if height else width
    return max(4, scaled), max(2, target - target % 2)


def worth_it(light: LightVideos, seconds: float | None, height: int, file_size: int, playable: bool = True) -> bool:
    """Whether a variant is worth making: always for a source browsers do not play as it is (the variant is
    then the one they play); else when it would be lighter (not for the reference courses' placeholders, nor
    for a video the author exported light)."""
    if not playable or seconds is None or seconds <= 0:
        return True
    expected = (light.video_kbps + light.audio_kbps) * 1000 / 8 * seconds
    return height > light.height or file_size > expected * 1.25


def _open(path: Path) -> av.container.InputContainer:
    import av

    try:
        return av.open(str(path), "r", timeout=10)
    except (av.FFmpegError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(_said(exc)) from exc


def _said(exc: BaseException) -> str:
    """What FFmpeg said, without the path PyAV adds (the author's message names the file already)."""
    import av

    if isinstance(exc, av.FFmpegError) and exc.strerror:
        return str(exc.strerror)
    return str(exc) or type(exc).__name__


def probe(path: Path) -> Probe:
    """The file's length, size and sound, once one of its pictures is decoded; raises Unreadable."""
    import av

    with _open(path) as container:
        if not container.streams.video:
            raise Unreadable("no video stream")
        stream = container.streams.video[0]
        try:
            for count, packet in enumerate(container.demux(stream)):
                if count >= PROBE_PACKETS:
                    break
                frames = packet.decode()
                if frames:
                    width, height = frames[0].width, frames[0].height
                    break
            else:
                raise Unreadable("no picture could be decoded")
            if count >= PROBE_PACKETS:
                raise Unreadable("no picture could be decoded")
        except av.FFmpegError as exc:
            raise Unreadable(_said(exc)) from exc
        seconds = None
        if container.duration is not None and container.duration > 0:
            seconds = container.duration / av.time_base
        elif stream.duration is not None and stream.time_base is not None:
            seconds = float(stream.duration * stream.time_base)
        return Probe(seconds, width, height, container.bit_rate or None, bool(container.streams.audio),
                     stream.codec_context.name in PLAYABLE)


def make_light(light: LightVideos, source: Path, target: Path) -> None:
    """Write ``source``'s light variant to ``target`` (an MP4: H.264 main profile + AAC, moov first so that
    it plays while it downloads)."""
    import av

    with _open(source) as reading, av.open(str(target), "w", format="mp4",
                                            options={"movflags": "+faststart", "fflags": "+bitexact"}) as writing:
        writing.metadata.clear()
        source_video = reading.streams.video[0]
        source_video.thread_type = "AUTO"  # decoding is exact whatever the threads
        rate = source_video.average_rate or source_video.guessed_rate or Fraction(25)
        fps = Fraction(rate)
        while fps > MAX_FPS:
            fps /= 2
        fps = fps.limit_denominator(1001)
        width, height = light_size(light, source_video.codec_context.width, source_video.codec_context.height)
        video = writing.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = light.video_kbps * 1000
        video.codec_context.flags |= av.codec.context.Flags.bitexact
        video.options = {"preset": "veryfast", "profile": "main", "threads": "1",
                         "maxrate": f"{light.video_kbps * 3 // 2}k", "bufsize": f"{light.video_kbps * 2}k",
                         "x264-params": "keyint=250:min-keyint=25:threads=1:lookahead-threads=1:cpu-independent=1"}
        # One thread (frame threads would make other bytes from run to run), and no algorithm x264 picks by
        # timing this CPU: without cpu-independent, two runs of the same source gave other bytes now and then.
        video.codec_context.thread_count = 1
        sound: Any = None
        resampler: Any = None
        if reading.streams.audio:
            source_audio = reading.streams.audio[0]
            layout = "mono" if source_audio.codec_context.channels == 1 else "stereo"
            sound = writing.add_stream("aac", rate=48000)
            sound.layout = layout
            sound.bit_rate = light.audio_kbps * 1000
            sound.codec_context.flags |= av.codec.context.Flags.bitexact
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=48000)
        streams = [source_video] + ([reading.streams.audio[0]] if sound is not None else [])
        last = -1
        samples = 0

        def encode_sound(chunks: list[av.AudioFrame]) -> None:
            nonlocal samples
            for chunk in chunks:
                # Timed by the samples written, not the source's stamps: the same bytes every time.
                chunk.pts, chunk.time_base = samples, Fraction(1, 48000)
                samples += chunk.samples
                for out in sound.encode(chunk):
                    writing.mux(out)

        for packet in reading.demux(*streams):
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    if frame.time is None:
                        continue
                    index = round(frame.time * fps)
                    if index <= last:
                        continue  # a faster source's frame between two of ours
                    last = index
                    picture = frame.reformat(width=width, height=height, format="yuv420p", interpolation="AREA")
                    picture.pts, picture.time_base = index, Fraction(1) / fps
                    for out in video.encode(picture):
                        writing.mux(out)
                elif sound is not None and isinstance(frame, av.AudioFrame):
                    encode_sound(resampler.resample(frame))
        for out in video.encode():
            writing.mux(out)
        if sound is not None:
            encode_sound(resampler.resample(None))
            for out in sound.encode():
                writing.mux(out)


# A poster's largest width: a page shows it at most this wide, and a projector's 1024x768 is below it.
POSTER_WIDTH = 960


def make_poster(at: float, source: Path, target: Path) -> None:
    """Write the frame shown ``at`` (a fraction of the length, 0.1 = at 10 %) of ``source`` to ``target`` as a
    JPEG, at most POSTER_WIDTH wide."""
    import av
    from PIL import Image

    with _open(source) as reading:
        stream = reading.streams.video[0]
        length = reading.duration / av.time_base if reading.duration else 0.0
        wanted = max(0.0, length * at)
        chosen = None
        if wanted > 0 and stream.time_base is not None:
            reading.seek(int(wanted / stream.time_base), stream=stream, backward=True, any_frame=False)
        for frame in reading.decode(stream):
            chosen = frame
            if frame.time is None or frame.time >= wanted:
                break
        if chosen is None:
            raise Unreadable("no picture could be decoded")
        image = chosen.to_image()  # type: ignore[no-untyped-call]  # PyAV 18 leaves it untyped
    if image.width > POSTER_WIDTH:
        image = image.resize((POSTER_WIDTH, round(image.height * POSTER_WIDTH / image.width)),
                             Image.Resampling.LANCZOS)
    image.convert("RGB").save(target, "JPEG", quality=82, optimize=True, progressive=True)
