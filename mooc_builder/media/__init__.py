"""What the build makes from the author's media files: read a video's length and check that it can be decoded,
make a light variant of each video and a poster from a frame (PyAV, FFmpeg's libraries in the wheel), resize
pictures for the widths a page needs and clean SVG drawings (Pillow). Each result is kept in the output's
cache under the digest of what it was made from and how, so that a warm build makes nothing again.

Below load (a video that cannot be decoded is an error at check time) and build (which runs the work); it
imports only the model.
"""
