/* al-sim-room.c — shoebox rooms: defaults, checks, reverberation estimates,
 * array orientation and the image-source enumeration (pyroomacoustics'
 * image_source_shoebox: the L1 ball of reflection indices).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "al-sim-private.h"

#include <math.h>

static const char *const wall_names[6] = { "x=0 (west)", "x=Lx (east)", "y=0 (south)",
                                           "y=Ly (north)", "z=0 (floor)", "z=Lz (ceiling)" };

void
al_sim_room_init (AlSimRoom *room, double lx, double ly, double lz, double absorption)
{
  g_return_if_fail (room != NULL);
  *room = (AlSimRoom) { 0 };
  room->size[0] = lx;
  room->size[1] = ly;
  room->size[2] = lz;
  for (int w = 0; w < 6; w++)
    room->absorption[w] = absorption;
  room->max_order = AL_SIM_DEFAULT_MAX_ORDER;
  room->c = AL_SPEED_OF_SOUND;
  room->hpf_fc = AL_SIM_DEFAULT_HPF_FC;
}

gboolean
al_sim_room_validate (const AlSimRoom *room, GError **error)
{
  g_return_val_if_fail (room != NULL, FALSE);
  for (int d = 0; d < 3; d++)
    if (!(isfinite (room->size[d]) && room->size[d] > 0))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "room: size along %c is %g m; it must be a positive number", "xyz"[d],
                     room->size[d]);
        return FALSE;
      }
  for (int w = 0; w < 6; w++)
    if (!(room->absorption[w] >= 0 && room->absorption[w] <= 1))
      {
        g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                     "room: absorption of wall %s is %g; it must lie in [0, 1]", wall_names[w],
                     room->absorption[w]);
        return FALSE;
      }
  /* 1000 keeps the image count (≈ 1.3·10⁹) inside an int */
  if (room->max_order < 0 || room->max_order > 1000)
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "room: maximum image order %d is outside 0..1000", room->max_order);
      return FALSE;
    }
  if (!(isfinite (room->c) && room->c > 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "room: speed of sound %g m/s must be positive", room->c);
      return FALSE;
    }
  if (!(isfinite (room->max_rand_disp) && room->max_rand_disp >= 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "room: random image displacement %g m must be >= 0", room->max_rand_disp);
      return FALSE;
    }
  if (!(isfinite (room->hpf_fc) && room->hpf_fc >= 0))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "room: high-pass cut-off %g Hz must be >= 0 (0 = off)", room->hpf_fc);
      return FALSE;
    }
  return TRUE;
}

gboolean
al_sim_room_contains (const AlSimRoom *room, const double p[3])
{
  for (int d = 0; d < 3; d++)
    if (!(p[d] > 0 && p[d] < room->size[d]))
      return FALSE;
  return TRUE;
}

static void
room_surfaces (const AlSimRoom *room, double *volume, double *area, double *mean_alpha)
{
  const double *L = room->size;
  /* wall pair areas: x walls are Ly·Lz, y walls Lx·Lz, z walls Lx·Ly */
  const double pair[3] = { L[1] * L[2], L[0] * L[2], L[0] * L[1] };
  double s = 0, sa = 0;

  for (int w = 0; w < 6; w++)
    {
      s += pair[w / 2];
      sa += pair[w / 2] * room->absorption[w];
    }
  *volume = L[0] * L[1] * L[2];
  *area = s;
  *mean_alpha = sa / s;
}

/* 24·ln(10)/c: the constant of Sabine's formula (0.161 s/m at 343 m/s). */
double
al_sim_room_rt60_sabine (const AlSimRoom *room)
{
  double v, s, a;

  room_surfaces (room, &v, &s, &a);
  return 24 * G_LN10 / room->c * v / (s * a);
}

double
al_sim_room_rt60_eyring (const AlSimRoom *room)
{
  double v, s, a;

  room_surfaces (room, &v, &s, &a);
  if (a >= 1)
    return 0;
  return 24 * G_LN10 / room->c * v / (-s * log1p (-a));
}

void
al_sim_orientation_matrix (const AlSimOrientation *o, double R[9])
{
  const double yaw = o ? o->yaw : 0, pitch = o ? o->pitch : 0, roll = o ? o->roll : 0;
  const double cy = cos (yaw), sy = sin (yaw);
  /* Ry(−pitch) raises the front: its x column is (cos p, 0, sin p) */
  const double cp = cos (pitch), sp = sin (pitch);
  const double cr = cos (roll), sr = sin (roll);
  double Rz[9] = { cy, -sy, 0, sy, cy, 0, 0, 0, 1 };
  double Ry[9] = { cp, 0, -sp, 0, 1, 0, sp, 0, cp };
  double Rx[9] = { 1, 0, 0, 0, cr, -sr, 0, sr, cr };
  double T[9];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        double acc = 0;
        for (int k = 0; k < 3; k++)
          acc += Ry[3 * i + k] * Rx[3 * k + j];
        T[3 * i + j] = acc;
      }
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      {
        double acc = 0;
        for (int k = 0; k < 3; k++)
          acc += Rz[3 * i + k] * T[3 * k + j];
        R[3 * i + j] = acc;
      }
}

/* Reflections on the walls at 0 and at L for index p along one axis. */
static inline void
axis_hits (int p, int *h0, int *hL)
{
  if (p >= 0)
    {
      *h0 = p / 2;
      *hL = (p + 1) / 2;
    }
  else
    {
      *h0 = (-p + 1) / 2;
      *hL = -p / 2;
    }
}

int
al_sim_enumerate (const AlSimRoom *room, const double source[3], double **pos_out,
                  double **beta_out, int **index_out)
{
  const int K = room->max_order;
  const int n = (int) al_sim_image_count (K);
  double *pos = g_new (double, 3 * (gsize) n);
  double *beta = g_new (double, n);
  int *index = index_out ? g_new (int, 3 * (gsize) n) : NULL;
  /* bpow[w][h] = β_w^h, β = √(1 − α) */
  double *bpow = g_new (double, 6 * (gsize) (K + 1));
  GRand *rand = room->max_rand_disp > 0 ? g_rand_new_with_seed (room->rand_seed) : NULL;
  int i = 0;

  for (int w = 0; w < 6; w++)
    {
      const double b = sqrt (1.0 - room->absorption[w]);
      bpow[w * (K + 1)] = 1;
      for (int h = 1; h <= K; h++)
        bpow[w * (K + 1) + h] = bpow[w * (K + 1) + h - 1] * b;
    }

  for (int pz = -K; pz <= K; pz++)
    {
      const int ymax = K - abs (pz);
      for (int py = -ymax; py <= ymax; py++)
        {
          const int xmax = ymax - abs (py);
          for (int px = -xmax; px <= xmax; px++, i++)
            {
              const int p[3] = { px, py, pz };
              double b = 1;
              for (int d = 0; d < 3; d++)
                {
                  int h0, hL;
                  const double L = room->size[d];
                  pos[3 * i + d] = p[d] * L + ((abs (p[d]) & 1) ? L - source[d] : source[d]);
                  axis_hits (p[d], &h0, &hL);
                  b *= bpow[(2 * d) * (K + 1) + h0] * bpow[(2 * d + 1) * (K + 1) + hL];
                  if (index)
                    index[3 * i + d] = p[d];
                }
              beta[i] = b;
              if (rand != NULL && (px != 0 || py != 0 || pz != 0))
                for (int d = 0; d < 3; d++)
                  pos[3 * i + d] += g_rand_double_range (rand, -room->max_rand_disp,
                                                         room->max_rand_disp);
            }
        }
    }
  g_assert (i == n);
  g_free (bpow);
  if (rand)
    g_rand_free (rand);
  *pos_out = pos;
  *beta_out = beta;
  if (index_out)
    *index_out = index;
  return n;
}

static gboolean
check_point (const AlSimRoom *room, const double p[3], const char *what, GError **error)
{
  if (!(isfinite (p[0]) && isfinite (p[1]) && isfinite (p[2])) || !al_sim_room_contains (room, p))
    {
      g_set_error (error, AL_ERROR, AL_ERROR_INVALID_INPUT,
                   "%s at (%.3f, %.3f, %.3f) m lies outside the %.3f x %.3f x %.3f m room",
                   what, p[0], p[1], p[2], room->size[0], room->size[1], room->size[2]);
      return FALSE;
    }
  return TRUE;
}

AlSimImage *
al_sim_images (const AlSimRoom *room, const double source[3], const double receiver[3],
               const AlSimOrientation *orientation, int *nimages, GError **error)
{
  double *pos, *beta, R[9];
  int *index;
  AlSimImage *img;
  int n;

  g_return_val_if_fail (room != NULL && source != NULL && receiver != NULL && nimages != NULL, NULL);
  *nimages = 0;
  if (!al_sim_room_validate (room, error) || !check_point (room, source, "source", error)
      || !check_point (room, receiver, "receiver", error))
    return NULL;

  al_sim_orientation_matrix (orientation, R);
  n = al_sim_enumerate (room, source, &pos, &beta, &index);
  img = g_new0 (AlSimImage, n);
  for (int i = 0; i < n; i++)
    {
      AlSimImage *im = &img[i];
      double v[3], u[3], d;

      for (int k = 0; k < 3; k++)
        {
          im->pos[k] = pos[3 * i + k];
          im->index[k] = index[3 * i + k];
          v[k] = im->pos[k] - receiver[k];
          axis_hits (im->index[k], &im->hits[2 * k], &im->hits[2 * k + 1]);
          im->order += abs (im->index[k]);
        }
      d = sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      im->distance = d;
      im->delay = d / room->c;
      im->amplitude = d > 0 ? beta[i] / d : INFINITY;
      /* u = Rᵀ v: the direction in the array frame */
      for (int k = 0; k < 3; k++)
        u[k] = R[k] * v[0] + R[3 + k] * v[1] + R[6 + k] * v[2];
      al_xyz_to_dir (u, &im->azimuth, &im->elevation);
    }
  g_free (pos);
  g_free (beta);
  g_free (index);
  *nimages = n;
  return img;
}
