import './question-images.css';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { mediaAt, sizesFor, srcSetOf, type MediaItem, type MediaPlacement } from '@/lib/question-media';
import { getMediaUrlsQueryOptions, type MediaUrls } from '@/lib/question-media-urls';

/**
 * The images at one place of a question (stem, explanation or one choice), each as a figure. The box
 * is sized from the record's width and height before anything loads (width/height attributes and the
 * same aspect ratio on the placeholder), so an image arriving, or never arriving offline, moves nothing.
 * `urls` undefined: still resolving (placeholder, no request yet).
 */
export function QuestionImages({
  media,
  placement,
  choice,
  urls,
}: {
  media: readonly MediaItem[];
  placement: MediaPlacement;
  choice?: string;
  urls: MediaUrls | undefined;
}) {
  const items = mediaAt(media, placement, choice);
  if (items.length === 0) return null;
  return (
    <div className="question-images" data-placement={placement}>
      {items.map((item) => (
        <QuestionFigure key={item.id} item={item} urls={urls} />
      ))}
    </div>
  );
}

/**
 * The same, for a screen that shows many questions (the player, the review): `paths` are every image
 * path of the block, so all figures share one signing request (one query key). The figures themselves
 * wait for the URLs, not the screen: their arrival re-renders a few figures, not the whole player.
 */
export function BlockQuestionImages({
  media,
  placement,
  choice,
  paths,
}: {
  media: readonly MediaItem[];
  placement: MediaPlacement;
  choice?: string;
  paths: readonly string[];
}) {
  if (mediaAt(media, placement, choice).length === 0) return null;
  return <SignedQuestionImages media={media} placement={placement} choice={choice} paths={paths} />;
}

function SignedQuestionImages({ paths, ...place }: { media: readonly MediaItem[]; placement: MediaPlacement; choice?: string | undefined; paths: readonly string[] }) {
  const urls = useQuery(getMediaUrlsQueryOptions(paths)).data;
  return <QuestionImages {...place} urls={urls} />;
}

function QuestionFigure({ item, urls }: { item: MediaItem; urls: MediaUrls | undefined }) {
  const [failed, setFailed] = useState(false);
  const source = urls ? srcSetOf(item, new Map(Object.entries(urls))) : null;
  const box = { aspectRatio: `${item.width} / ${item.height}`, width: `${item.width}px` };
  return (
    <figure className="question-figure" data-placement={item.placement}>
      {source && !failed ? (
        <img
          src={source.src}
          srcSet={source.srcSet}
          sizes={sizesFor(item.placement)}
          width={item.width}
          height={item.height}
          alt={item.alt}
          decoding="async"
          onError={() => setFailed(true)}
        />
      ) : (
        <div className="question-figure-missing" role="img" aria-label={item.alt} style={box}>
          {urls === undefined ? null : <span aria-hidden="true">Image not available offline</span>}
        </div>
      )}
      {item.caption || item.credit ? (
        <figcaption>
          {item.caption}
          {item.caption && item.credit ? ' ' : null}
          {item.credit ? <span className="question-figure-credit">{item.credit}</span> : null}
        </figcaption>
      ) : null}
    </figure>
  );
}
