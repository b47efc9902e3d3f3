#!/bin/sh
# Regenerates the small demonstration videos and their posters.
# Each video is a coloured background with two moving shapes, H.264 baseline,
# yuv420p, 320x180, 15 fps, with a silent mono AAC track. A few KB each.
# Usage: sh tools/media/make_videos.sh   (run from the repository root)
# Needs ffmpeg (only to regenerate the files; the project does not depend on it).
set -eu
C=content/courses

# make_video <output.mp4> <background> <shape 1> <shape 2> <seconds>
make_video() {
  out=$1 bg=$2 s1=$3 s2=$4 d=$5
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "color=c=$bg:s=320x180:r=15:d=$d" \
    -f lavfi -i "color=c=$s1:s=48x48:r=15:d=$d" \
    -f lavfi -i "color=c=$s2:s=24x96:r=15:d=$d" \
    -f lavfi -i "anullsrc=r=22050:cl=mono" \
    -filter_complex "[0:v][1:v]overlay=x='mod(t*70,272)':y='66+40*sin(t*2)'[a];[a][2:v]overlay=x='260-mod(t*40,240)':y=42[v]" \
    -map "[v]" -map 3:a -t "$d" \
    -c:v libx264 -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 38 -g 30 \
    -c:a aac -b:a 16k -ac 1 -movflags +faststart "$out"
  # poster: one frame at 2 s, small JPEG
  ffmpeg -hide_banner -loglevel error -y -ss 2 -i "$out" -frames:v 1 -q:v 10 "${out%.mp4}.jpg"
}

H=$C/energie-habitants/media
make_video $H/facture.mp4     0x1f5f8b 0xf2b134 0xffffff 5
make_video $H/thermostat.mp4  0xc8553d 0xfff3e0 0x2e4057 5
make_video $H/ventilation.mp4 0x2a9d8f 0xe9f5f2 0x264653 4

P=$C/energie-proximite/media
make_video $P/temoignage-gardienne.mp4 0x6a4c93 0xffca3a 0xffffff 6
make_video $P/atelier.mp4              0x1982c4 0x8ac926 0xffffff 4

M=$C/energie-maitrise-ouvrage/media
make_video $M/diagnostic.mp4 0x33415c 0xef476f 0xffd166 5
make_video $M/chaufferie.mp4 0x9d0208 0xffba08 0xfaa307 4
make_video $M/chantier.mp4   0x495057 0xfcbf49 0xf77f00 6

A=$C/accession-propriete/media
make_video $A/budget.mp4    0x386641 0xf2e8cf 0xbc4749 5
make_video $A/vente-hlm.mp4 0x3d405b 0xf4f1de 0xe07a5f 4
