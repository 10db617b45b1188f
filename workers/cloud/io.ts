// cloudInput / cloudOutput: any CloudStore as the worker's input adapter (one object, streamed
// to disk within the size limit) and output deliverer (each file streamed from disk, all or
// nothing: a failure removes what this delivery already wrote).
import { unlink } from 'node:fs/promises';
import { mimeForFilename } from '../../src/core/catalog/index.js';
import { cloudObjectNames, describeCloudPlace, type CloudObjectNaming, type CloudStorage } from '../../src/core/remote/cloud-locations.js';
import type { InputAdapter, InputLister } from '../inputs/types.js';
import { refuseAnnouncedSize, writeWithinLimit } from '../inputs/within-limit.js';
import type { OutputDeliverer } from '../outputs/types.js';
import { requireSecret, type RemoteSettings } from '../remote/settings.js';
import { explainCloudError } from './explain.js';
import type { CloudPlace, CloudSecretOf, CloudSession, CloudStore, ListableCloudStore } from './types.js';

export function cloudInput<K extends CloudStorage>(kind: K, store: CloudStore<K>, settings: RemoteSettings): InputAdapter<K> {
  return {
    async fetch(source, destination, context) {
      const secret = requireSecret(context.secret, kind, 'input') as CloudSecretOf<K>;
      const place = source as unknown as CloudPlace<K>;
      const name = (source as { readonly name: string }).name;
      let session: CloudSession | undefined;
      try {
        session = await store.connect(place, secret, settings, context.signal);
        const { body, size } = await session.read(name, context.signal);
        refuseAnnouncedSize(size, context.maxBytes, body);
        return await writeWithinLimit(body, destination, context.maxBytes, context.signal);
      } catch (error) {
        await unlink(destination).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainCloudError(error, { place, secret, who: store.who(place, secret), object: name, direction: 'input' });
      } finally {
        session?.close();
      }
    },
  };
}

/** A listable store as the worker's lister (imports of blob_prefix / file_prefix). */
export function cloudLister<K extends CloudStorage>(kind: K, store: ListableCloudStore<K>, settings: RemoteSettings): InputLister<K> {
  return {
    async list(source, prefix, limit, context) {
      const secret = requireSecret(context.secret, kind, 'input') as CloudSecretOf<K>;
      const place = source as unknown as CloudPlace<K>;
      let session: CloudSession | undefined;
      try {
        const listing = await store.connect(place, secret, settings, context.signal);
        session = listing;
        return await listing.list(prefix, limit, context.signal);
      } catch (error) {
        if (context.signal.aborted) throw error;
        throw explainCloudError(error, { place, secret, who: store.who(place, secret), object: prefix, direction: 'input' });
      } finally {
        session?.close();
      }
    },
  };
}

export function cloudOutput<K extends CloudStorage>(kind: K, store: CloudStore<K>, settings: RemoteSettings): OutputDeliverer<K> {
  return {
    async deliver(target, files, context) {
      const secret = requireSecret(context.secret, kind, 'output') as CloudSecretOf<K>;
      const place = target as unknown as CloudPlace<K>;
      const names = cloudObjectNames(target as CloudObjectNaming, files.map((f) => f.name)).map((n) => n.replace(/^\/+/, ''));
      const written: string[] = [];
      let session: CloudSession | undefined;
      let done = 0;
      try {
        session = await store.connect(place, secret, settings, context.signal);
        for (const [i, file] of files.entries()) {
          const name = names[i] ?? file.name;
          await session.write(name, { path: file.path, size: file.size, contentType: mimeForFilename(file.name) }, context.signal, (loaded) => context.progress(done + loaded));
          written.push(name);
          done += file.size;
        }
      } catch (error) {
        for (const name of written) await session?.remove(name).catch(() => undefined);
        if (context.signal.aborted) throw error;
        throw explainCloudError(error, { place, secret, who: store.who(place, secret), object: names[written.length] ?? '', direction: 'output' });
      } finally {
        session?.close();
      }
      return { type: kind, place: placeFields(place), files: names };
    },
  };
}

/** The place for the status object: names only, never a credential. */
function placeFields(place: CloudPlace<CloudStorage>): Record<string, string> {
  const label = { storage: describeCloudPlace(place) };
  switch (place.kind) {
    case 'azure-blob':
      return { ...label, storage_account: place.account, container: place.container };
    case 'gcs':
      return { ...label, project_id: place.projectId, bucket: place.bucket };
    case 'swift':
      return { ...label, container: place.container, ...(place.region === undefined ? {} : { region: place.region }) };
  }
}
